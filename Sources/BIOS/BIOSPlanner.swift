import Catalog
import Redfish
import VendorTools

/// Compares a desired state with what a BMC has, resolving every setting against the BMC's own AttributeRegistry;
/// no I/O.
///
/// Names: the setting's generic name and the map's `names` as AttributeName, then its display names (the map's
/// `display_names`, its SUM menu name, the template's own setting name) as the registry's DisplayName, then the
/// catalog's dialect maps (the type's vendor's dialects first). Values: the registry's ValueName, then
/// ValueDisplayName, through the map's aliases and the dialect's values; whole numbers within the registry's bounds;
/// text within its lengths. Read-only attributes, and attributes a registry dependency makes read-only given the
/// values after the planned changes, are refused.
public enum BIOSPlanner {
    /// The plan for `desired` against the BMC's `current` attributes, `pending` settings and (when it has one)
    /// `registry`, routed by `type`'s BIOS method and per-setting routing.
    public static func plan(
        desired: DesiredBIOSState, type: DeviceType, catalog: Catalog, bmc: String, current: [String: JSONValue],
        pending: [String: JSONValue], registry: [String: RegistryAttribute]?
    ) -> BIOSPlan {
        let resolver = Resolver(type: type, catalog: catalog, current: current, registry: registry)
        var items: [BIOSPlan.Item] = []
        for (setting, wanted) in desired.settings.sorted(by: { $0.key < $1.key }) {
            var item = resolver.item(setting, wanted)
            if item.fate == .change, let attribute = item.attribute, let desiredValue = item.desired {
                if let now = item.current, same(now, desiredValue) {
                    item.fate = .alreadySet
                } else if let staged = pending[attribute], same(staged, desiredValue) {
                    item.fate = .pending
                } else if let vendor = resolver.vendorRoute(setting) {
                    item.fate = vendor
                }
            }
            items.append(item)
        }
        // Dependencies are judged on the values the BMC would have after the planned changes.
        var after = current
        for item in items where item.fate == .change || item.fate == .pending {
            if let attribute = item.attribute, let value = item.desired { after[attribute] = value }
        }
        for index in items.indices where items[index].fate == .change {
            guard let attribute = items[index].attribute, let entry = registry?[attribute],
                let blocking = entry.readOnlyWhen.first(where: { $0.allSatisfy { $0.holds(in: after) } })
            else { continue }
            let why = blocking.map { "\($0.attribute) \(words($0.comparison)) \($0.value.string ?? "\($0.value)")" }
            items[index].fate = .readOnly(
                reason: "read-only on this BMC while \(why.joined(separator: " and "))")
        }
        for (setting, pattern) in desired.preserved.sorted(by: { $0.key < $1.key }) {
            items.append(
                BIOSPlan.Item(
                    setting: setting, attribute: nil, current: nil, desired: nil, fate: .preserved(pattern: pattern),
                    source: "preserve list", optional: type.bios.optional.contains(setting)))
        }
        return BIOSPlan(deviceType: type.name, bmc: bmc, items: items)
    }

    private static func words(_ comparison: String) -> String {
        switch comparison {
        case "EQU": "is"
        case "NEQ": "is not"
        case "GTR": ">"
        case "GEQ": "≥"
        case "LSS": "<"
        case "LEQ": "≤"
        default: comparison
        }
    }

    /// Values compare as text, ignoring case (`JSONValue.isSameSetting(as:)`).
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        a.isSameSetting(as: b)
    }

    /// The desired text as the current value's JSON type (numbers stay numbers).
    static func typed(_ text: String, like current: JSONValue) -> JSONValue {
        switch current {
        case .number:
            // `inf`, `nan` and `1e400` are text to a BMC, not numbers JSON can carry.
            return Double(text).flatMap { $0.isFinite ? JSONValue.number($0) : nil } ?? .string(text)
        case .bool:
            let lowered = text.lowercased()
            return lowered == "true" || lowered == "enabled"
                ? .bool(true) : (lowered == "false" || lowered == "disabled" ? .bool(false) : .string(text))
        default: return .string(text)
        }
    }
}

extension BIOSPlanner {
    /// Resolves one setting at a time against one BMC.
    struct Resolver {
        let type: DeviceType
        let catalog: Catalog
        let current: [String: JSONValue]
        let registry: [String: RegistryAttribute]?
        let dialects: [(id: String, dialect: BIOSDialect)]
        let method: BIOSMethod
        let tool: VendorToolKind?
        /// Registry attribute names by normalised DisplayName.
        let byDisplayName: [String: [String]]

        init(
            type: DeviceType, catalog: Catalog, current: [String: JSONValue], registry: [String: RegistryAttribute]?
        ) {
            self.type = type
            self.catalog = catalog
            self.current = current
            self.registry = registry
            let own = catalog.biosAttributes.dialects(forVendor: type.vendor)
            let others = catalog.biosAttributes.dialects.sorted { $0.key < $1.key }.filter { other in
                !own.contains { $0.id == other.key }
            }
            dialects = own + others.map { ($0.key, $0.value) }
            method = catalog.preferredBIOSMethod(for: type)
            tool =
                catalog.vendors[type.vendor].flatMap { try? VendorToolKind.resolve($0)?.kind }
                ?? VendorToolKind.usual(forVendor: type.vendor)
            var byDisplayName: [String: [String]] = [:]
            for (name, entry) in registry ?? [:] {
                guard let display = entry.displayName else { continue }
                byDisplayName[BIOSAttributeMap.normalised(display), default: []].append(name)
            }
            self.byDisplayName = byDisplayName.mapValues { $0.sorted() }
        }

        /// Whether the BMC has an attribute of that name (in its registry, else among its current attributes).
        private func exists(_ name: String) -> Bool {
            registry?[name] != nil || current[name] != nil
        }

        /// The type routes `setting` to its vendor tool although Redfish has it: the fate, else nil. `vendor_only` and
        /// the `vendor_tool` method always; `redfish_fallback` (and the `vendor_tool` method with `fallback_method:
        /// redfish`) with Redfish kept as the way when the tool cannot be run.
        func vendorRoute(_ setting: String) -> BIOSSettingFate? {
            guard let tool else { return nil }
            let routing = type.bios.routing[setting]?.route
            if routing == .vendorOnly { return .vendorTool(tool: tool.rawValue, route: .vendorOnly) }
            if method == .vendorTool {
                let fallback = type.bios.fallbackMethod == .redfish
                return .vendorTool(tool: tool.rawValue, route: fallback ? .redfishFallback : .method)
            }
            if routing == .redfishFallback { return .vendorTool(tool: tool.rawValue, route: .redfishFallback) }
            return nil
        }

        /// The attribute `setting` resolves to, with the names tried (for an unresolved fate).
        func attribute(for setting: String, template: DesiredBIOSState.TemplateSetting?) -> (String?, [String]) {
            let entry = catalog.biosAttributes.attributes[setting]
            var tried: [String] = []
            for name in [setting] + (entry?.names ?? []) where !tried.contains(name) {
                tried.append(name)
                if exists(name) { return (name, tried) }
            }
            let displays = (entry?.knownDisplayNames ?? []) + [template?.name, setting].compactMap { $0 }
            var seen: Set<String> = []
            for display in displays where seen.insert(BIOSAttributeMap.normalised(display)).inserted {
                tried.append("\"\(display)\"")
                if let match = byDisplayName[BIOSAttributeMap.normalised(display)]?.first { return (match, tried) }
            }
            for (_, dialect) in dialects {
                guard let name = dialect.names[setting], !tried.contains(name) else { continue }
                tried.append(name)
                if exists(name) { return (name, tried) }
            }
            return (nil, tried)
        }

        /// The item for `setting`, before the comparison with current and pending values.
        func item(_ setting: String, _ wanted: DesiredBIOSState.Setting) -> BIOSPlan.Item {
            let optional =
                type.bios.optional.contains(setting)
                || wanted.template.map { type.bios.optional.contains($0.name) }
                    ?? false
            var item = BIOSPlan.Item(
                setting: setting, attribute: nil, current: nil, desired: .string(wanted.value), fate: .change,
                source: wanted.source, template: wanted.template, optional: optional)
            let (found, tried) = attribute(for: setting, template: wanted.template)
            guard let attribute = found else {
                item.fate = unresolvedFate(setting, tried: tried, template: wanted.template)
                return item
            }
            item.attribute = attribute
            item.current = current[attribute]
            let spellings = spellings(of: wanted.value, for: setting)
            if let entry = registry?[attribute] {
                switch BIOSPlanner.resolve(spellings, entry) {
                case .value(let value): item.desired = value
                case .refused(let fate):
                    // A read-only attribute that already has the wanted value needs nothing: it is already set.
                    var writable = entry
                    writable.readOnly = false
                    if entry.readOnly, case .value(let value) = BIOSPlanner.resolve(spellings, writable),
                        let now = item.current, BIOSPlanner.same(now, value)
                    {
                        item.desired = value
                    } else {
                        item.fate = fate
                    }
                }
            } else if let now = current[attribute] {
                item.desired = BIOSPlanner.typed(
                    spellings.first { BIOSPlanner.same(now, .string($0)) } ?? wanted.value, like: now)
            }
            return item
        }

        /// Unresolved over Redfish: the vendor tool when the type's routing sends what Redfish lacks there and the
        /// tool has a key for it, else unresolved (with the dialect's note when it says why).
        private func unresolvedFate(
            _ setting: String, tried: [String], template: DesiredBIOSState.TemplateSetting?
        ) -> BIOSSettingFate {
            let routing = type.bios.routing[setting]?.route
            if let tool, routing == .vendorOnly { return .vendorTool(tool: tool.rawValue, route: .vendorOnly) }
            if let tool, method == .vendorTool { return .vendorTool(tool: tool.rawValue, route: .method) }
            let toolTakesIt =
                method == .hybrid || routing == .redfishFallback || type.bios.fallbackMethod == .vendorTool
            if let tool, toolTakesIt, toolKey(setting, template, tool) != nil {
                return .vendorTool(tool: tool.rawValue, route: .redfishLacksIt)
            }
            let note = catalog.biosAttributes.dialects(forVendor: type.vendor).lazy.compactMap {
                $0.dialect.notBIOS[setting]
            }.first
            return .unresolved(tried: tried, note: note)
        }

        /// The vendor tool's key for a setting (`VendorBIOSApplier.key`).
        func toolKey(_ setting: String, _ template: DesiredBIOSState.TemplateSetting?, _ tool: VendorToolKind)
            -> String?
        {
            VendorBIOSApplier.key(for: setting, template: template, kind: tool, map: catalog.biosAttributes)
        }

        /// The value and the other spellings the catalog gives it (aliases, then dialect values).
        func spellings(of value: String, for setting: String) -> [String] {
            var result = [value] + (catalog.biosAttributes.attributes[setting]?.aliases[value] ?? [])
            for (_, dialect) in dialects {
                if let spelled = dialect.values[setting]?[value], !result.contains(spelled) { result.append(spelled) }
            }
            return result
        }
    }

    /// A value the registry accepts, or the fate of one it does not.
    enum Resolution {
        /// The value as the BMC spells it.
        case value(JSONValue)
        /// Refused: invalid or read-only.
        case refused(BIOSSettingFate)
    }

    /// The value for `entry` among `spellings`: a ValueName (exact, then ignoring case), then a ValueDisplayName
    /// (ignoring case and punctuation); whole numbers within bounds; text within lengths; booleans.
    static func resolve(_ spellings: [String], _ entry: RegistryAttribute) -> Resolution {
        let asked = spellings[0]
        if entry.readOnly { return .refused(.readOnly(reason: "read-only on this BMC")) }
        switch entry.type {
        case "Enumeration":
            for spelling in spellings {
                if let exact = entry.allowed.first(where: { $0 == spelling })
                    ?? entry.allowed.first(where: { $0.lowercased() == spelling.lowercased() })
                {
                    return .value(.string(exact))
                }
            }
            for spelling in spellings {
                let key = BIOSAttributeMap.normalised(spelling)
                if let value = entry.values.first(where: {
                    $0.displayName.map(BIOSAttributeMap.normalised) == key
                }) {
                    return .value(.string(value.name))
                }
            }
            return .refused(
                .invalid(value: asked, allowed: entry.allowed, reason: "\(asked) is not allowed"))
        case "Integer":
            guard let number = Int(asked) else {
                return .refused(.invalid(value: asked, allowed: [], reason: "\(asked) is not a whole number"))
            }
            if let lower = entry.lower, number < lower {
                return .refused(.invalid(value: asked, allowed: [], reason: "\(number) is below the minimum \(lower)"))
            }
            if let upper = entry.upper, number > upper {
                return .refused(.invalid(value: asked, allowed: [], reason: "\(number) is above the maximum \(upper)"))
            }
            return .value(.number(Double(number)))
        case "Boolean":
            let text = asked.lowercased()
            guard ["true", "false", "enabled", "disabled"].contains(text) else {
                return .refused(
                    .invalid(value: asked, allowed: ["true", "false"], reason: "\(asked) is not true or false"))
            }
            return .value(.bool(text == "true" || text == "enabled"))
        default:
            if let minimum = entry.minLength, asked.count < minimum {
                return .refused(.invalid(value: asked, allowed: [], reason: "shorter than \(minimum) characters"))
            }
            if let maximum = entry.maxLength, asked.count > maximum {
                return .refused(.invalid(value: asked, allowed: [], reason: "longer than \(maximum) characters"))
            }
            return .value(.string(asked))
        }
    }
}

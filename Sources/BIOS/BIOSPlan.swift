import Catalog
import Redfish

/// What applying a device type's BIOS settings to one BMC would do, setting by setting.
public struct BIOSPlan: Sendable, Hashable, Codable {
    /// The verdict on one setting.
    public enum Status: String, Sendable, Hashable, Codable {
        /// It differs and will be changed.
        case change
        /// It already has the desired value.
        case alreadySet = "already_set"
        /// The desired value is already pending (staged for the next reset).
        case pending
        /// The preserve list protects it.
        case preserved
        /// This BMC has no such attribute.
        case unsupported
        /// The BMC would refuse the value (not allowed, out of bounds, read-only).
        case invalid
    }

    /// Which interface a change goes through.
    public enum Route: String, Sendable, Hashable, Codable {
        /// Redfish PATCH of the settings object.
        case redfish
        /// The vendor's tool (SUM, ilorest, racadm).
        case vendorTool = "vendor_tool"
    }

    /// One setting.
    public struct Item: Sendable, Hashable, Codable {
        /// Generic attribute name (`BootMode`).
        public var setting: String
        /// The BMC's attribute name, when it has one.
        public var attribute: String?
        /// The current value.
        public var current: JSONValue?
        /// The value to set, as the BMC spells it.
        public var desired: JSONValue?
        /// The verdict.
        public var status: Status
        /// For changes: the interface.
        public var route: Route?
        /// Where the desired value came from.
        public var source: String
        /// Why, for preserved / unsupported / invalid items.
        public var reason: String?
    }

    /// The device type.
    public var deviceType: String
    /// The BMC.
    public var bmc: String
    /// Every setting considered, in name order.
    public var items: [Item]

    enum CodingKeys: String, CodingKey {
        case deviceType = "device_type"
        case bmc, items
    }

    /// The changes, as the BMC's attribute → value.
    public var redfishChanges: [String: JSONValue] {
        var changes: [String: JSONValue] = [:]
        for item in items where item.status == .change && item.route == .redfish {
            if let attribute = item.attribute, let desired = item.desired { changes[attribute] = desired }
        }
        return changes
    }

    /// Changes routed to a vendor tool.
    public var vendorToolChanges: [Item] { items.filter { $0.status == .change && $0.route == .vendorTool } }

    /// True when nothing needs doing.
    public var isEmpty: Bool { !items.contains { $0.status == .change } }
}

/// One attribute as an AttributeRegistry describes it.
public struct RegistryAttribute: Sendable, Hashable {
    /// `Enumeration`, `Integer`, `String`, `Boolean`.
    public var type: String
    /// Allowed values of an enumeration.
    public var allowed: [String]
    /// Whether it may not be changed.
    public var readOnly: Bool
    /// Integer bounds.
    public var lower: Int?
    /// Integer bounds.
    public var upper: Int?

    /// Reads `RegistryEntries.Attributes` of a registry document.
    public static func parse(_ registry: JSONValue) -> [String: RegistryAttribute] {
        var result: [String: RegistryAttribute] = [:]
        for entry in registry["RegistryEntries"]["Attributes"].array {
            guard let name = entry["AttributeName"].string else { continue }
            result[name] = RegistryAttribute(
                type: entry["Type"].string ?? "String",
                allowed: entry["Value"].array.compactMap { $0["ValueName"].string },
                readOnly: entry["ReadOnly"].bool ?? false, lower: entry["LowerBound"].int,
                upper: entry["UpperBound"].int)
        }
        return result
    }
}

/// Compares a desired state with what a BMC has; no I/O.
public enum BIOSPlanner {
    /// The plan for `desired` against the BMC's `current` attributes, `pending` settings and (when it has one)
    /// `registry`, routed by `type`'s BIOS method and per-setting routing.
    public static func plan(
        desired: DesiredBIOSState, type: DeviceType, catalog: Catalog, bmc: String, current: [String: JSONValue],
        pending: [String: JSONValue], registry: [String: RegistryAttribute]?
    ) -> BIOSPlan {
        let map = catalog.biosAttributes.attributes
        let method = catalog.preferredBIOSMethod(for: type)
        var items: [BIOSPlan.Item] = []
        for (setting, wanted) in desired.settings.sorted(by: { $0.key < $1.key }) {
            let entry = map[setting]
            let candidates = ([setting] + (entry?.names ?? [])).reduce(into: [String]()) {
                if !$0.contains($1) { $0.append($1) }
            }
            guard let attribute = candidates.first(where: { current[$0] != nil }) else {
                items.append(
                    BIOSPlan.Item(
                        setting: setting, attribute: nil, current: nil, desired: .string(wanted.value),
                        status: .unsupported,
                        route: nil, source: wanted.source,
                        reason: "this BMC has no attribute for it (looked for \(candidates.joined(separator: ", ")))"))
                continue
            }
            let now = current[attribute]!
            let spellings = [wanted.value] + (entry?.aliases[wanted.value] ?? [])
            var item = BIOSPlan.Item(
                setting: setting, attribute: attribute, current: now, desired: nil, status: .change, route: nil,
                source: wanted.source, reason: nil)
            if let registryEntry = registry?[attribute] {
                switch resolve(spellings, registryEntry) {
                case .success(let value): item.desired = value
                case .failure(let reason):
                    item.status = .invalid
                    item.desired = .string(wanted.value)
                    item.reason = reason.text
                    items.append(item)
                    continue
                }
            } else {
                item.desired = typed(spellings.first { Self.same(now, .string($0)) } ?? wanted.value, like: now)
            }
            if Self.same(now, item.desired!) {
                item.status = .alreadySet
            } else if let staged = pending[attribute], Self.same(staged, item.desired!) {
                item.status = .pending
            } else {
                item.route = route(setting: setting, type: type, method: method)
            }
            items.append(item)
        }
        for (setting, pattern) in desired.preserved.sorted(by: { $0.key < $1.key }) {
            items.append(
                BIOSPlan.Item(
                    setting: setting, attribute: nil, current: nil, desired: nil, status: .preserved, route: nil,
                    source: "preserve list",
                    reason: "protected by `\(pattern)`"))
        }
        return BIOSPlan(deviceType: type.name, bmc: bmc, items: items)
    }

    private static func resolve(_ spellings: [String], _ entry: RegistryAttribute) -> Result<JSONValue, Failure> {
        if entry.readOnly { return .failure(Failure(text: "read-only on this BMC")) }
        switch entry.type {
        case "Enumeration":
            for spelling in spellings {
                if let exact = entry.allowed.first(where: { $0 == spelling })
                    ?? entry.allowed.first(where: { $0.lowercased() == spelling.lowercased() })
                {
                    return .success(.string(exact))
                }
            }
            return .failure(
                Failure(text: "\(spellings[0]) is not allowed; allowed: \(entry.allowed.joined(separator: ", "))"))
        case "Integer":
            guard let number = Int(spellings[0]) else {
                return .failure(Failure(text: "\(spellings[0]) is not a whole number"))
            }
            if let lower = entry.lower, number < lower {
                return .failure(Failure(text: "\(number) is below the minimum \(lower)"))
            }
            if let upper = entry.upper, number > upper {
                return .failure(Failure(text: "\(number) is above the maximum \(upper)"))
            }
            return .success(.number(Double(number)))
        case "Boolean":
            let text = spellings[0].lowercased()
            guard ["true", "false", "enabled", "disabled"].contains(text) else {
                return .failure(Failure(text: "\(spellings[0]) is not true or false"))
            }
            return .success(.bool(text == "true" || text == "enabled"))
        default:
            return .success(.string(spellings[0]))
        }
    }

    struct Failure: Error {
        var text: String
    }

    /// The desired text as the current value's JSON type (numbers stay numbers).
    private static func typed(_ text: String, like current: JSONValue) -> JSONValue {
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

    /// Values compare as text, ignoring case (`Enabled` = `enabled`, `3` = 3).
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        guard let x = a.string, let y = b.string else { return a == b }
        return x.lowercased() == y.lowercased()
    }

    /// The type's method and the setting's routing decide: vendor-only settings and the vendor_tool method go to
    /// the vendor tool; everything else to Redfish.
    private static func route(setting: String, type: DeviceType, method: BIOSMethod) -> BIOSPlan.Route {
        if method == .vendorTool { return .vendorTool }
        if type.bios.routing[setting]?.route == .vendorOnly { return .vendorTool }
        return .redfish
    }
}

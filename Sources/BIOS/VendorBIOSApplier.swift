import Catalog
import Redfish
import VendorTools

/// The vendor-tool half of a BIOS apply: turns a plan's vendor-tool items into the tool's keys and values (through
/// the catalog's attribute map), stages them with the tool before the one reset, and reads them back with the tool
/// after it.
public struct VendorBIOSApplier: Sendable {
    /// What the tool will be asked to do for a set of plan items.
    public struct Batch: Sendable, Hashable {
        /// Changes the tool can make.
        public var changes: [VendorBIOSChange]
        /// Settings the attribute map gives no key for this tool (reported as not applied).
        public var unmapped: [String]
    }

    /// Where the tool shows a setting at the value asked for.
    public enum Found: String, Sendable, Hashable, Codable {
        /// The BIOS runs it.
        case current
        /// Staged: the next reset applies it.
        case pending
    }

    /// The tool, bound to one BMC.
    public let tool: any VendorBIOSTool
    /// The catalog's attribute map.
    public let map: BIOSAttributeMap
    /// Settings the tool already shows at the value asked for (`readBack`): `apply` does not send them again; the
    /// one reset still applies them and `verify` still reads them.
    public var staged: Set<String> = []

    /// Applies through `tool`, naming settings with `map`.
    public init(tool: any VendorBIOSTool, map: BIOSAttributeMap) {
        self.tool = tool
        self.map = map
    }

    /// `sum on 10.0.0.5`.
    public var name: String { "\(tool.kind.rawValue) on \(tool.host)" }

    /// The changes for `items` (the plan's vendor-tool changes), with the settings the tool has no key for. Keys
    /// come from the attribute map, else (SUM) from the template's own menu path and name. Values go as text; a
    /// Redfish Boolean becomes `Enabled`/`Disabled`, the spelling SUM, iLOrest and racadm use.
    public func batch(for items: [BIOSPlan.Item]) -> Batch {
        var batch = Batch(changes: [], unmapped: [])
        for item in items {
            let value: String? =
                switch item.desired {
                case .bool(let flag): flag ? "Enabled" : "Disabled"
                default: item.desired?.string
                }
            guard let key = Self.key(for: item.setting, template: item.template, kind: tool.kind, map: map),
                let value
            else {
                batch.unmapped.append(item.setting)
                continue
            }
            batch.changes.append(VendorBIOSChange(setting: item.setting, key: key, value: value))
        }
        return batch
    }

    /// The tool's key for a setting: the attribute map's (`sum`, `ilorest`, `racadm`), else for SUM the template's
    /// own menu path and setting name (`Advanced/CPU Configuration/Intel SGX`); nil when neither names it.
    public static func key(
        for setting: String, template: DesiredBIOSState.TemplateSetting?, kind: VendorToolKind, map: BIOSAttributeMap
    ) -> String? {
        if let entry = map.attributes[setting], let key = kind.key(in: entry) { return key }
        guard kind == .sum, let template, !template.menuPath.isEmpty else { return nil }
        return (template.menuPath + [template.name]).joined(separator: "/")
    }

    /// Why the tool cannot be run here, before anything is changed; nil when it can.
    public func unavailable() -> VendorToolError? { tool.unavailable() }

    /// What `apply` would run, one line per change, for a dry run.
    public func describe(_ changes: [VendorBIOSChange]) -> [String] {
        changes.map { "\(tool.kind.rawValue) on \(tool.host): \($0.key) = \($0.value)" }
    }

    /// Stages `changes` with the tool (they apply at the next reset), except those in `staged`.
    public func apply(_ changes: [VendorBIOSChange]) async throws(VendorToolError) {
        let unstaged = changes.filter { !staged.contains($0.setting) }
        guard !unstaged.isEmpty else { return }
        try await tool.apply(unstaged)
    }

    /// Which of `changes` the tool already shows at the value asked for (as `verify` compares), and where: its
    /// current value, else the value pending the next reset. Settings at neither are left out.
    public func readBack(_ changes: [VendorBIOSChange]) async throws(VendorToolError) -> [String: Found] {
        guard !changes.isEmpty else { return [:] }
        let keys = changes.map(\.key)
        let current = try await tool.currentSettings(keys: keys)
        var found: [String: Found] = [:]
        var rest: [VendorBIOSChange] = []
        for change in changes {
            if matches(change, in: current) { found[change.setting] = .current } else { rest.append(change) }
        }
        guard !rest.isEmpty else { return found }
        let pending = try await tool.pendingSettings(keys: rest.map(\.key))
        for change in rest where matches(change, in: pending) { found[change.setting] = .pending }
        return found
    }

    private func matches(_ change: VendorBIOSChange, in settings: [String: String]) -> Bool {
        guard let (_, value) = tool.kind.value(for: change.key, in: settings) else { return false }
        return spellings(of: change.value, for: change.setting).contains(value.lowercased())
    }

    /// Reads `changes` back with the tool: setting → whether it now has the value asked for (ignoring case, and
    /// accepting the spellings the attribute map's aliases give for it).
    public func verify(_ changes: [VendorBIOSChange]) async throws(VendorToolError) -> [String: Bool] {
        let current = try await tool.currentSettings(keys: changes.map(\.key))
        var verified: [String: Bool] = [:]
        for change in changes { verified[change.setting] = matches(change, in: current) }
        return verified
    }

    /// `value` and every alias it shares a group with in the attribute map, lowercased.
    private func spellings(of value: String, for setting: String) -> Set<String> {
        var result: Set<String> = [value.lowercased()]
        for (ours, theirs) in map.attributes[setting]?.aliases ?? [:] {
            let group = Set(([ours] + theirs).map { $0.lowercased() })
            if group.contains(value.lowercased()) { result.formUnion(group) }
        }
        return result
    }

    /// The current settings a tool reported, as generic attributes for `BIOSPlanner` (`BootMode` → `UEFI`): every
    /// attribute-map entry whose key for `kind` is found among `settings`.
    public static func attributes(
        from settings: [String: String], kind: VendorToolKind, map: BIOSAttributeMap
    ) -> [String: JSONValue] {
        var attributes: [String: JSONValue] = [:]
        for (generic, entry) in map.attributes {
            guard let key = kind.key(in: entry), let (_, value) = kind.value(for: key, in: settings) else { continue }
            attributes[generic] = .string(value)
        }
        return attributes
    }
}

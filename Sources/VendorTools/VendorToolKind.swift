import Catalog
import Logging
import Remote

/// The vendor BIOS tools HWAutomation drives, and how each names a setting.
public enum VendorToolKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Supermicro Update Manager: settings by menu path (`Advanced/Boot mode select`).
    case sum
    /// HPE iLOrest: settings by Bios attribute name (`ProcHyperthreading`).
    case ilorest
    /// Dell racadm: settings by `BIOS.<Group>.<Name>` (`BIOS.ProcSettings.LogicalProc`).
    case racadm

    /// The program run when the catalog names no path (looked up on `PATH`).
    public var defaultExecutable: String { rawValue }

    /// Names under which a vendor file's `tools:` may list this tool, in the order tried.
    public var catalogNames: [String] {
        switch self {
        case .sum: return ["sum", "sumtool"]
        case .ilorest: return ["ilorest"]
        case .racadm: return ["racadm"]
        }
    }

    /// The tool's key for an attribute-map entry (`sum`, `ilorest` or `racadm` in `bios-attributes.yaml`).
    public func key(in entry: BIOSAttributeMap.Entry) -> String? {
        switch self {
        case .sum: return entry.sum
        case .ilorest: return entry.ilorest
        case .racadm: return entry.racadm
        }
    }

    /// The tool a vendor's servers use by default: Supermicro SUM, HPE iLOrest, Dell racadm.
    public static func usual(forVendor vendor: String) -> VendorToolKind? {
        switch vendor.lowercased() {
        case "supermicro": return .sum
        case "hpe", "hp": return .ilorest
        case "dell": return .racadm
        default: return nil
        }
    }

    /// The tool for `vendor` and the program to run: the vendor's `bios_tool` (or its usual tool), at the path its
    /// `tools:` entry gives (or the tool's name on `PATH`). Nil when the vendor has no known BIOS tool.
    public static func resolve(_ vendor: Vendor) throws(VendorToolError) -> (kind: VendorToolKind, executable: String)?
    {
        let kind: VendorToolKind
        if let named = vendor.biosTool {
            guard let match = allCases.first(where: { $0.catalogNames.contains(named.lowercased()) }) else {
                throw VendorToolError(
                    kind: .notConfigured, tool: named, host: "-",
                    message:
                        "vendor \(vendor.id) names bios_tool `\(named)`, which HWAutomation does not drive; use one of "
                        + allCases.flatMap(\.catalogNames).joined(separator: ", "))
            }
            kind = match
        } else {
            guard let usual = usual(forVendor: vendor.id) else { return nil }
            kind = usual
        }
        let names = ([vendor.biosTool?.lowercased()].compactMap { $0 } + kind.catalogNames)
        let path = names.lazy.compactMap { vendor.tools[$0]?.path }.first
        return (kind, path ?? kind.defaultExecutable)
    }

    /// This tool, at `executable`, for the BMC at `host`, logging in as `user`; variables in `blanking` reach it
    /// empty.
    public func tool(
        executable: String, host: String, user: String, password: String, runner: ProcessRunner, logger: Logger,
        timeout: Duration, blanking: Set<String> = []
    ) -> any VendorBIOSTool {
        switch self {
        case .sum:
            return SUMTool(
                executable: executable, host: host, user: user, password: password, runner: runner, logger: logger,
                timeout: timeout, blanking: blanking)
        case .ilorest:
            return ILORestTool(
                executable: executable, host: host, user: user, password: password, runner: runner, logger: logger,
                timeout: timeout, blanking: blanking)
        case .racadm:
            return RacadmTool(
                executable: executable, host: host, user: user, password: password, runner: runner, logger: logger,
                timeout: timeout, blanking: blanking)
        }
    }

    /// The value for `key` among `settings` (keyed the tool's way): exact, then ignoring case; for SUM, whose
    /// menus nest differently across boards, also by the setting's own name (the last path component).
    public func value(for key: String, in settings: [String: String]) -> (key: String, value: String)? {
        if let value = settings[key] { return (key, value) }
        let lowered = key.lowercased()
        if let match = settings.first(where: { $0.key.lowercased() == lowered }) { return (match.key, match.value) }
        guard self == .sum else { return nil }
        let name = Self.lastComponent(lowered)
        let candidates = settings.filter { Self.lastComponent($0.key.lowercased()) == name }
        guard candidates.count == 1, let only = candidates.first else { return nil }
        return (only.key, only.value)
    }

    private static func lastComponent(_ path: String) -> Substring {
        path.split(separator: "/").last ?? Substring(path)
    }
}

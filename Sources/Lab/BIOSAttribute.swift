import Redfish

/// One BIOS attribute of a simulated BMC, as its AttributeRegistry describes it.
public struct BIOSAttribute: Sendable, Hashable {
    /// Registry types.
    public enum Kind: String, Sendable, Hashable {
        /// One of `allowed`.
        case enumeration = "Enumeration"
        /// A whole number in `lower...upper`.
        case integer = "Integer"
        /// Text.
        case string = "String"
        /// true / false.
        case boolean = "Boolean"
    }

    /// Attribute name.
    public var name: String
    /// Type.
    public var kind: Kind
    /// Current value.
    public var value: JSONValue
    /// Allowed values of an enumeration.
    public var allowed: [String]
    /// Bounds of an integer.
    public var lower: Int?
    /// Bounds of an integer.
    public var upper: Int?
    /// Whether it may not be changed.
    public var readOnly: Bool
    /// Whether a change needs a reset (always true for BIOS settings here).
    public var resetRequired: Bool

    /// Creates an attribute.
    public init(
        _ name: String, _ kind: Kind, _ value: JSONValue, allowed: [String] = [], lower: Int? = nil, upper: Int? = nil,
        readOnly: Bool = false, resetRequired: Bool = true
    ) {
        self.name = name
        self.kind = kind
        self.value = value
        self.allowed = allowed
        self.lower = lower
        self.upper = upper
        self.readOnly = readOnly
        self.resetRequired = resetRequired
    }

    /// Why `candidate` is not acceptable, or nil when it is.
    public func problem(with candidate: JSONValue) -> String? {
        if readOnly { return "\(name) is read-only" }
        switch kind {
        case .enumeration:
            guard let text = candidate.string, allowed.contains(text) else {
                return "\(candidate.string ?? "?") is not one of \(allowed.joined(separator: ", ")) for \(name)"
            }
        case .integer:
            guard let number = candidate.int else { return "\(name) needs a whole number" }
            if let lower, number < lower { return "\(number) is below \(lower) for \(name)" }
            if let upper, number > upper { return "\(number) is above \(upper) for \(name)" }
        case .boolean:
            guard case .bool = candidate else { return "\(name) needs true or false" }
        case .string:
            guard case .string = candidate else { return "\(name) needs text" }
        }
        return nil
    }

    /// The registry entry.
    var registryEntry: JSONValue {
        var entry: [String: JSONValue] = [
            "AttributeName": .string(name), "Type": .string(kind.rawValue), "ReadOnly": .bool(readOnly),
            "ResetRequired": .bool(resetRequired), "DefaultValue": value,
        ]
        if kind == .enumeration {
            entry["Value"] = .array(
                allowed.map { .object(["ValueName": .string($0), "ValueDisplayName": .string($0)]) })
        }
        if let lower { entry["LowerBound"] = .number(Double(lower)) }
        if let upper { entry["UpperBound"] = .number(Double(upper)) }
        return .object(entry)
    }

    /// The generic BIOS of a lab server: the settings the catalog's template rules name, with realistic
    /// allowable values and out-of-the-box defaults, plus read-only facts.
    public static func genericDefaults(memoryGiB: Int) -> [BIOSAttribute] {
        let enabled = ["Enabled", "Disabled"]
        return [
            BIOSAttribute("BootMode", .enumeration, .string("Legacy"), allowed: ["UEFI", "Legacy"]),
            BIOSAttribute("SecureBoot", .enumeration, .string("Enabled"), allowed: enabled),
            BIOSAttribute("PXEBoot", .enumeration, .string("Disabled"), allowed: enabled),
            BIOSAttribute("BootTimeout", .integer, .number(10), lower: 0, upper: 60),
            BIOSAttribute("QuietBoot", .enumeration, .string("Enabled"), allowed: enabled),
            BIOSAttribute("FastBoot", .enumeration, .string("Disabled"), allowed: enabled),
            BIOSAttribute("IntelHyperThreadingTech", .enumeration, .string("Enabled"), allowed: enabled),
            BIOSAttribute("TurboMode", .enumeration, .string("Disabled"), allowed: enabled),
            BIOSAttribute("ProcessorC1E", .enumeration, .string("Disabled"), allowed: enabled),
            BIOSAttribute("ProcessorC3Report", .enumeration, .string("Disabled"), allowed: enabled),
            BIOSAttribute("ProcessorC6Report", .enumeration, .string("Disabled"), allowed: enabled),
            BIOSAttribute("ProcessorEIST", .enumeration, .string("Disabled"), allowed: enabled),
            BIOSAttribute("IntelVT", .enumeration, .string("Disabled"), allowed: enabled),
            BIOSAttribute("IntelVTD", .enumeration, .string("Disabled"), allowed: enabled),
            BIOSAttribute("SRIOV", .enumeration, .string("Disabled"), allowed: enabled),
            BIOSAttribute(
                "PowerTechnology", .enumeration, .string("EnergyEfficient"),
                allowed: ["Performance", "EnergyEfficient", "Custom"]),
            BIOSAttribute(
                "PowerRestorePolicy", .enumeration, .string("LastState"), allowed: ["PowerOn", "PowerOff", "LastState"]),
            BIOSAttribute("WakeOnLAN", .enumeration, .string("Disabled"), allowed: enabled),
            BIOSAttribute(
                "MemoryMode", .enumeration, .string("Independent"), allowed: ["Independent", "Mirroring", "Sparing"]),
            BIOSAttribute("PatrolScrub", .enumeration, .string("Disabled"), allowed: enabled),
            BIOSAttribute("DemandScrub", .enumeration, .string("Disabled"), allowed: enabled),
            BIOSAttribute("SOLEnabled", .enumeration, .string("Disabled"), allowed: enabled),
            BIOSAttribute("KCSInterface", .enumeration, .string("Enabled"), allowed: enabled),
            BIOSAttribute(
                "SystemMemorySize", .string, .string("\(memoryGiB) GB"), readOnly: true, resetRequired: false),
        ]
    }
}

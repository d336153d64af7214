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
    /// What the setup menu calls it (the registry's `DisplayName`); nil: the registry says nothing.
    public var displayName: String?
    /// What the setup menu calls each allowed value (`ValueDisplayName`), by value; absent: the value itself.
    public var valueDisplayNames: [String: String]
    /// Where the setup menu shows it (`./ProcSettingsRef`), when the registry says.
    public var menuPath: String?
    /// What the registry says about it (`HelpText`).
    public var helpText: String?

    /// Creates an attribute.
    public init(
        _ name: String, _ kind: Kind, _ value: JSONValue, allowed: [String] = [], lower: Int? = nil, upper: Int? = nil,
        readOnly: Bool = false, resetRequired: Bool = true, displayName: String? = nil,
        valueDisplayNames: [String: String] = [:], menuPath: String? = nil, helpText: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.value = value
        self.allowed = allowed
        self.lower = lower
        self.upper = upper
        self.readOnly = readOnly
        self.resetRequired = resetRequired
        self.displayName = displayName
        self.valueDisplayNames = valueDisplayNames
        self.menuPath = menuPath
        self.helpText = helpText
    }

    /// An enumeration whose values are given with their display names, in menu order (`("Uefi", "UEFI")`).
    public static func choice(
        _ name: String, _ display: String, _ current: String, _ values: [(name: String, display: String)],
        menu: String, help: String? = nil
    ) -> BIOSAttribute {
        BIOSAttribute(
            name, .enumeration, .string(current), allowed: values.map(\.name), displayName: display,
            valueDisplayNames: Dictionary(values.map { ($0.name, $0.display) }) { first, _ in first }, menuPath: menu,
            helpText: help)
    }

    /// An Enabled / Disabled switch.
    public static func toggle(
        _ name: String, _ display: String, _ current: String, menu: String, help: String? = nil
    ) -> BIOSAttribute {
        choice(name, display, current, [("Enabled", "Enabled"), ("Disabled", "Disabled")], menu: menu, help: help)
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
        if let displayName { entry["DisplayName"] = .string(displayName) }
        if let menuPath { entry["MenuPath"] = .string(menuPath) }
        if let helpText { entry["HelpText"] = .string(helpText) }
        if kind == .enumeration {
            entry["Value"] = .array(
                allowed.map {
                    .object(["ValueName": .string($0), "ValueDisplayName": .string(valueDisplayNames[$0] ?? $0)])
                })
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

/// One flavour of server we sell, e.g. `s2.c2.small`: its hardware, desired configuration and BIOS policy.
public struct DeviceType: Sendable, Hashable, Codable {
    /// Where a device type was defined.
    public enum Origin: String, Sendable, Hashable, Codable {
        /// In the unified device config (`devices/unified_device_config.yaml`), possibly also in the legacy mappings.
        case unified
        /// Only in the legacy `bios/device_mappings.yaml`.
        case legacy
        /// Written directly in our catalog schema.
        case catalog
    }

    /// The canonical name (`s2.c2.small`).
    public var name: String
    /// The vendor's identifier (`supermicro`, `hpe`).
    public var vendor: String
    /// A person's one-line description.
    public var description: String?
    /// Motherboards this type is built on; empty when unknown.
    public var boards: [String]
    /// Where the type was defined.
    public var origin: Origin
    /// What the classifier compares against.
    public var hardware: HardwareSpec
    /// Desired boot configuration (`boot_mode`, `pxe_boot`, `secure_boot`).
    public var boot: [String: SettingValue]
    /// Desired CPU configuration (`hyperthreading`, `turbo_boost`, `power_profile`).
    public var cpu: [String: SettingValue]
    /// Desired memory configuration (`ecc_enabled`, `memory_speed`).
    public var memory: [String: SettingValue]
    /// Desired security configuration (`sgx_enabled`, `tdx_enabled`).
    public var security: [String: SettingValue]
    /// How BIOS settings are applied and which rules apply.
    public var bios: BIOSProfile
    /// Redfish support.
    public var redfish: RedfishSupport

    /// Creates a device type.
    public init(
        name: String, vendor: String, description: String? = nil, boards: [String] = [], origin: Origin = .catalog,
        hardware: HardwareSpec, boot: [String: SettingValue] = [:], cpu: [String: SettingValue] = [:],
        memory: [String: SettingValue] = [:], security: [String: SettingValue] = [:], bios: BIOSProfile = BIOSProfile(),
        redfish: RedfishSupport = RedfishSupport()
    ) {
        self.name = name
        self.vendor = vendor
        self.description = description
        self.boards = boards
        self.origin = origin
        self.hardware = hardware
        self.boot = boot
        self.cpu = cpu
        self.memory = memory
        self.security = security
        self.bios = bios
        self.redfish = redfish
    }

    enum CodingKeys: String, CodingKey {
        case name, vendor, description, boards, origin, hardware, boot, cpu, memory, security, bios, redfish
    }

    /// Encodes the type; inside a vendor file of our schema (`CatalogSchema.nestedKey` set) the name and
    /// vendor are left out, since the file and the key already say them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if encoder.userInfo[CatalogSchema.nestedKey] as? Bool != true {
            try container.encode(name, forKey: .name)
            try container.encode(vendor, forKey: .vendor)
        }
        try container.encodeIfPresent(description, forKey: .description)
        if !boards.isEmpty { try container.encode(boards, forKey: .boards) }
        try container.encode(origin, forKey: .origin)
        try container.encode(hardware, forKey: .hardware)
        if !boot.isEmpty { try container.encode(boot, forKey: .boot) }
        if !cpu.isEmpty { try container.encode(cpu, forKey: .cpu) }
        if !memory.isEmpty { try container.encode(memory, forKey: .memory) }
        if !security.isEmpty { try container.encode(security, forKey: .security) }
        if bios != BIOSProfile() { try container.encode(bios, forKey: .bios) }
        if redfish != RedfishSupport() { try container.encode(redfish, forKey: .redfish) }
    }

    /// Decodes a type; `name` and `vendor` may be absent when the type is keyed by name in its file.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        vendor = try container.decodeIfPresent(String.self, forKey: .vendor) ?? ""
        description = try container.decodeIfPresent(String.self, forKey: .description)
        boards = try container.decodeIfPresent([String].self, forKey: .boards) ?? []
        origin = try container.decodeIfPresent(Origin.self, forKey: .origin) ?? .catalog
        hardware = try container.decode(HardwareSpec.self, forKey: .hardware)
        boot = try container.decodeIfPresent([String: SettingValue].self, forKey: .boot) ?? [:]
        cpu = try container.decodeIfPresent([String: SettingValue].self, forKey: .cpu) ?? [:]
        memory = try container.decodeIfPresent([String: SettingValue].self, forKey: .memory) ?? [:]
        security = try container.decodeIfPresent([String: SettingValue].self, forKey: .security) ?? [:]
        bios = try container.decodeIfPresent(BIOSProfile.self, forKey: .bios) ?? BIOSProfile()
        redfish = try container.decodeIfPresent(RedfishSupport.self, forKey: .redfish) ?? RedfishSupport()
    }
}

/// A device type's BIOS policy: methods, per-setting routing, and the template rules that apply.
public struct BIOSProfile: Sendable, Hashable, Codable {
    /// The method to try first; `nil` means the catalog's default.
    public var preferredMethod: BIOSMethod?
    /// The method to use when the preferred one cannot.
    public var fallbackMethod: BIOSMethod?
    /// Per-setting routing (`redfish_preferred`, `redfish_fallback`, `vendor_only`).
    public var routing: [String: RoutedSetting]
    /// Applier tuning.
    public var performance: MethodPerformance?
    /// Template rules (setting → value) for this type, when any.
    public var rules: TemplateRule?
    /// Settings (generic names, or a template's own setting names) the type can do without: a run that cannot apply
    /// them still ends `configured`. Any other setting not applied makes it `configured-with-exceptions`.
    public var optional: [String]

    /// Creates a profile.
    public init(
        preferredMethod: BIOSMethod? = nil, fallbackMethod: BIOSMethod? = nil, routing: [String: RoutedSetting] = [:],
        performance: MethodPerformance? = nil, rules: TemplateRule? = nil, optional: [String] = []
    ) {
        self.preferredMethod = preferredMethod
        self.fallbackMethod = fallbackMethod
        self.routing = routing
        self.performance = performance
        self.rules = rules
        self.optional = optional
    }

    enum CodingKeys: String, CodingKey {
        case preferredMethod = "preferred_method"
        case fallbackMethod = "fallback_method"
        case routing, performance, rules, optional
    }

    /// Encodes, leaving out what is unset.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(preferredMethod, forKey: .preferredMethod)
        try container.encodeIfPresent(fallbackMethod, forKey: .fallbackMethod)
        if !routing.isEmpty { try container.encode(routing, forKey: .routing) }
        try container.encodeIfPresent(performance, forKey: .performance)
        try container.encodeIfPresent(rules, forKey: .rules)
        if !optional.isEmpty { try container.encode(optional, forKey: .optional) }
    }

    /// Decodes, treating absent routing as none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        preferredMethod = try container.decodeIfPresent(BIOSMethod.self, forKey: .preferredMethod)
        fallbackMethod = try container.decodeIfPresent(BIOSMethod.self, forKey: .fallbackMethod)
        routing = try container.decodeIfPresent([String: RoutedSetting].self, forKey: .routing) ?? [:]
        performance = try container.decodeIfPresent(MethodPerformance.self, forKey: .performance)
        rules = try container.decodeIfPresent(TemplateRule.self, forKey: .rules)
        optional = try container.decodeIfPresent([String].self, forKey: .optional) ?? []
    }
}

/// What a device type's BMC offers over Redfish.
public struct RedfishSupport: Sendable, Hashable, Codable {
    /// Whether the BMC speaks Redfish at all; `nil` when the catalog does not say.
    public var capable: Bool?
    /// Known compatibility facts.
    public var compatibility: RedfishCompatibility?

    /// Creates the record.
    public init(capable: Bool? = nil, compatibility: RedfishCompatibility? = nil) {
        self.capable = capable
        self.compatibility = compatibility
    }
}

/// BIOS settings a template rule sets for a device type (the legacy `template_rules.yaml`).
public struct TemplateRule: Sendable, Hashable, Codable {
    /// What the rule set is for.
    public var description: String?
    /// Setting name → value, as the rule file writes them (`BootTimeout: "3"`).
    public var modifications: [String: String]

    /// Creates a rule set.
    public init(description: String? = nil, modifications: [String: String]) {
        self.description = description
        self.modifications = modifications
    }
}

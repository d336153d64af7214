/// How BIOS settings reach a server.
public enum BIOSMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// Redfish `Bios` resource (PATCH of pending settings, applied on reset).
    case redfish
    /// The vendor's tool (Supermicro SUM, HPE ilorest/conrep, Dell racadm).
    case vendorTool = "vendor_tool"
    /// Redfish for what it supports, the vendor tool for the rest.
    case hybrid

    /// The accepted spellings, for error messages.
    public static var spellings: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Which interface a single BIOS setting should be changed through.
public enum SettingRoute: String, Sendable, Hashable, Codable, CaseIterable {
    /// Redfish first.
    case redfishPreferred = "redfish_preferred"
    /// Redfish when the vendor tool is not available.
    case redfishFallback = "redfish_fallback"
    /// Only the vendor tool can set it.
    case vendorOnly = "vendor_only"
}

/// A setting's route and, when the catalog says, what the setting is.
public struct RoutedSetting: Sendable, Hashable, Codable {
    /// The interface to use.
    public var route: SettingRoute
    /// A person's description of the setting.
    public var description: String?

    /// Creates a routed setting.
    public init(route: SettingRoute, description: String? = nil) {
        self.route = route
        self.description = description
    }
}

/// Tuning for the BIOS appliers, per device type.
public struct MethodPerformance: Sendable, Hashable, Codable {
    /// Settings sent in one Redfish PATCH.
    public var redfishBatchSize: Int?
    /// Seconds before a vendor tool run is abandoned.
    public var vendorToolTimeout: Int?
    /// Seconds before a Redfish request is abandoned.
    public var redfishTimeout: Int?
    /// Read settings over Redfish even when writing with the vendor tool.
    public var preferRedfishForRead: Bool?
    /// Use the vendor tool for complex (menu-structured) settings.
    public var preferVendorForComplex: Bool?

    /// Creates the tuning.
    public init(
        redfishBatchSize: Int? = nil, vendorToolTimeout: Int? = nil, redfishTimeout: Int? = nil,
        preferRedfishForRead: Bool? = nil, preferVendorForComplex: Bool? = nil
    ) {
        self.redfishBatchSize = redfishBatchSize
        self.vendorToolTimeout = vendorToolTimeout
        self.redfishTimeout = redfishTimeout
        self.preferRedfishForRead = preferRedfishForRead
        self.preferVendorForComplex = preferVendorForComplex
    }

    enum CodingKeys: String, CodingKey {
        case redfishBatchSize = "redfish_batch_size"
        case vendorToolTimeout = "vendor_tool_timeout"
        case redfishTimeout = "redfish_timeout"
        case preferRedfishForRead = "prefer_redfish_for_read"
        case preferVendorForComplex = "prefer_vendor_for_complex"
    }
}

/// What is known of a device type's Redfish service.
public struct RedfishCompatibility: Sendable, Hashable, Codable {
    /// Oldest Redfish version known to work.
    public var versionMin: String?
    /// Whether the `Bios` resource accepts settings.
    public var biosConfigSupport: Bool?
    /// Known problems, as text.
    public var knownIssues: [String]
    /// OEM extensions present.
    public var vendorExtensions: [String]

    /// Creates the record.
    public init(
        versionMin: String? = nil, biosConfigSupport: Bool? = nil, knownIssues: [String] = [],
        vendorExtensions: [String] = []
    ) {
        self.versionMin = versionMin
        self.biosConfigSupport = biosConfigSupport
        self.knownIssues = knownIssues
        self.vendorExtensions = vendorExtensions
    }

    enum CodingKeys: String, CodingKey {
        case versionMin = "version_min"
        case biosConfigSupport = "bios_config_support"
        case knownIssues = "known_issues"
        case vendorExtensions = "vendor_extensions"
    }

    /// Decodes, treating absent lists as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        versionMin = try container.decodeIfPresent(String.self, forKey: .versionMin)
        biosConfigSupport = try container.decodeIfPresent(Bool.self, forKey: .biosConfigSupport)
        knownIssues = try container.decodeIfPresent([String].self, forKey: .knownIssues) ?? []
        vendorExtensions = try container.decodeIfPresent([String].self, forKey: .vendorExtensions) ?? []
    }
}

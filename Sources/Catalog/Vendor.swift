/// A server maker: how to reach its support, its tools, and how its firmware is updated.
public struct Vendor: Sendable, Hashable, Codable {
    /// The identifier used throughout the catalog (`supermicro`, `hpe`, `dell`).
    public var id: String
    /// The name shown to people (`Super Micro Computer Inc.`).
    public var displayName: String?
    /// Where its support pages are.
    public var supportURL: String?
    /// Firmware update methods by component (`bios`, `bmc`).
    public var firmware: [String: FirmwareUpdateMethod]
    /// Vendor tools by name (`sumtool`, `ilorest`, `racadm`).
    public var tools: [String: VendorTool]
    /// Motherboards of this vendor known to the catalog.
    public var motherboards: [String]
    /// The entry of `tools` that changes BIOS settings (`sumtool`, `ilorest`, `racadm`); absent: the vendor's usual
    /// tool (`bios_tool:` in the vendor file).
    public var biosTool: String?

    /// Creates a vendor.
    public init(
        id: String, displayName: String? = nil, supportURL: String? = nil,
        firmware: [String: FirmwareUpdateMethod] = [:],
        tools: [String: VendorTool] = [:], motherboards: [String] = [], biosTool: String? = nil
    ) {
        self.id = id
        self.displayName = displayName
        self.supportURL = supportURL
        self.firmware = firmware
        self.tools = tools
        self.motherboards = motherboards
        self.biosTool = biosTool
    }

    enum CodingKeys: String, CodingKey {
        case id
        case displayName = "display_name"
        case supportURL = "support_url"
        case firmware, tools, motherboards
        case biosTool = "bios_tool"
    }

    /// Decodes, treating absent collections as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        displayName = try container.decodeIfPresent(String.self, forKey: .displayName)
        supportURL = try container.decodeIfPresent(String.self, forKey: .supportURL)
        firmware = try container.decodeIfPresent([String: FirmwareUpdateMethod].self, forKey: .firmware) ?? [:]
        tools = try container.decodeIfPresent([String: VendorTool].self, forKey: .tools) ?? [:]
        motherboards = try container.decodeIfPresent([String].self, forKey: .motherboards) ?? []
        biosTool = try container.decodeIfPresent(String.self, forKey: .biosTool)
    }
}

/// A vendor's command-line tool.
public struct VendorTool: Sendable, Hashable, Codable {
    /// Where it is installed.
    public var path: String?
    /// Where to get it.
    public var installURL: String?
    /// The version the catalog expects.
    public var version: String?

    /// Creates a tool record.
    public init(path: String? = nil, installURL: String? = nil, version: String? = nil) {
        self.path = path
        self.installURL = installURL
        self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case path
        case installURL = "install_url"
        case version
    }
}

/// How one firmware component of a vendor is updated.
public struct FirmwareUpdateMethod: Sendable, Hashable, Codable {
    /// Where images are published.
    public var downloadURL: String?
    /// Image file glob (`*.rom`).
    public var filePattern: String?
    /// Checksum file glob (`*.sha256`).
    public var checksumFile: String?
    /// The preferred method (`redfish`).
    public var updateMethod: String?
    /// Methods to try when the preferred one fails, in order.
    public var fallbackMethods: [String]
    /// Typical duration in seconds.
    public var estimatedSeconds: Int?
    /// Whether the host must reboot for the update to take effect.
    public var requiresReboot: Bool?

    /// Creates a method record.
    public init(
        downloadURL: String? = nil, filePattern: String? = nil, checksumFile: String? = nil,
        updateMethod: String? = nil,
        fallbackMethods: [String] = [], estimatedSeconds: Int? = nil, requiresReboot: Bool? = nil
    ) {
        self.downloadURL = downloadURL
        self.filePattern = filePattern
        self.checksumFile = checksumFile
        self.updateMethod = updateMethod
        self.fallbackMethods = fallbackMethods
        self.estimatedSeconds = estimatedSeconds
        self.requiresReboot = requiresReboot
    }

    enum CodingKeys: String, CodingKey {
        case downloadURL = "download_url"
        case filePattern = "file_pattern"
        case checksumFile = "checksum_file"
        case updateMethod = "update_method"
        case fallbackMethods = "fallback_methods"
        case estimatedSeconds = "estimated_time"
        case requiresReboot = "requires_reboot"
    }

    /// Decodes, treating absent fallbacks as none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        downloadURL = try container.decodeIfPresent(String.self, forKey: .downloadURL)
        filePattern = try container.decodeIfPresent(String.self, forKey: .filePattern)
        checksumFile = try container.decodeIfPresent(String.self, forKey: .checksumFile)
        updateMethod = try container.decodeIfPresent(String.self, forKey: .updateMethod)
        fallbackMethods = try container.decodeIfPresent([String].self, forKey: .fallbackMethods) ?? []
        estimatedSeconds = try container.decodeIfPresent(Int.self, forKey: .estimatedSeconds)
        requiresReboot = try container.decodeIfPresent(Bool.self, forKey: .requiresReboot)
    }
}

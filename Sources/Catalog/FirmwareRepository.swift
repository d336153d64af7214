/// The firmware side of the catalog: repository settings, which firmware family each type uses, update
/// policies and profiles. Per-vendor update methods live on `Vendor.firmware`.
public struct FirmwareRepository: Sendable, Hashable, Codable {
    /// Where firmware images are kept, relative to the config directory.
    public var basePath: String?
    /// Whether images may be downloaded.
    public var downloadEnabled: Bool?
    /// Verify checksums automatically.
    public var autoVerify: Bool?
    /// Seconds a vendor listing is cached.
    public var cacheDurationSeconds: Int?
    /// Parallel downloads.
    public var maxConcurrentDownloads: Int?
    /// Example images named by the legacy repository (file, version, checksum), per vendor and component.
    public var exampleFiles: [FirmwareFile]
    /// Device type (or `default`) → firmware family and profile.
    public var deviceMapping: [String: FirmwareMapping]
    /// Update policies by name (`manual`, `recommended`, `latest`, `security_only`).
    public var policies: [String: UpdatePolicy]
    /// Firmware profiles by name.
    public var profiles: [String: FirmwareProfile]
    /// Real-looking version strings per vendor (current → latest), kept for version-comparison tests.
    public var versionExamples: [VersionExample]

    /// Creates a repository description.
    public init(
        basePath: String? = nil, downloadEnabled: Bool? = nil, autoVerify: Bool? = nil,
        cacheDurationSeconds: Int? = nil,
        maxConcurrentDownloads: Int? = nil, exampleFiles: [FirmwareFile] = [],
        deviceMapping: [String: FirmwareMapping] = [:],
        policies: [String: UpdatePolicy] = [:], profiles: [String: FirmwareProfile] = [:],
        versionExamples: [VersionExample] = []
    ) {
        self.basePath = basePath
        self.downloadEnabled = downloadEnabled
        self.autoVerify = autoVerify
        self.cacheDurationSeconds = cacheDurationSeconds
        self.maxConcurrentDownloads = maxConcurrentDownloads
        self.exampleFiles = exampleFiles
        self.deviceMapping = deviceMapping
        self.policies = policies
        self.profiles = profiles
        self.versionExamples = versionExamples
    }

    enum CodingKeys: String, CodingKey {
        case basePath = "base_path"
        case downloadEnabled = "download_enabled"
        case autoVerify = "auto_verify"
        case cacheDurationSeconds = "cache_duration"
        case maxConcurrentDownloads = "max_concurrent_downloads"
        case exampleFiles = "example_files"
        case deviceMapping = "device_firmware_mapping"
        case policies = "update_policies"
        case profiles = "firmware_profiles"
        case versionExamples = "version_examples"
    }

    /// Decodes, treating absent collections as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        basePath = try container.decodeIfPresent(String.self, forKey: .basePath)
        downloadEnabled = try container.decodeIfPresent(Bool.self, forKey: .downloadEnabled)
        autoVerify = try container.decodeIfPresent(Bool.self, forKey: .autoVerify)
        cacheDurationSeconds = try container.decodeIfPresent(Int.self, forKey: .cacheDurationSeconds)
        maxConcurrentDownloads = try container.decodeIfPresent(Int.self, forKey: .maxConcurrentDownloads)
        exampleFiles = try container.decodeIfPresent([FirmwareFile].self, forKey: .exampleFiles) ?? []
        deviceMapping = try container.decodeIfPresent([String: FirmwareMapping].self, forKey: .deviceMapping) ?? [:]
        policies = try container.decodeIfPresent([String: UpdatePolicy].self, forKey: .policies) ?? [:]
        profiles = try container.decodeIfPresent([String: FirmwareProfile].self, forKey: .profiles) ?? [:]
        versionExamples = try container.decodeIfPresent([VersionExample].self, forKey: .versionExamples) ?? []
    }
}

/// A firmware image the repository names.
public struct FirmwareFile: Sendable, Hashable, Codable {
    /// Vendor identifier.
    public var vendor: String
    /// `bios` or `bmc`.
    public var component: String
    /// Path relative to the repository.
    public var file: String
    /// Version string as the vendor writes it.
    public var version: String
    /// `sha256:<hex>` (the legacy file also holds placeholders; they never verify).
    public var checksum: String?

    /// Creates a file record.
    public init(vendor: String, component: String, file: String, version: String, checksum: String? = nil) {
        self.vendor = vendor
        self.component = component
        self.file = file
        self.version = version
        self.checksum = checksum
    }
}

/// Which firmware family and profile a device type uses.
public struct FirmwareMapping: Sendable, Hashable, Codable {
    /// Vendor identifier (`generic` for the default).
    public var vendor: String?
    /// Model family (`X11`, `Gen10`).
    public var modelFamily: String?
    /// BMC firmware family (`iLO5`).
    public var bmcFamily: String?
    /// BIOS firmware family (`U30`).
    public var biosFamily: String?
    /// Profile name.
    public var profile: String?

    /// Creates a mapping.
    public init(
        vendor: String? = nil, modelFamily: String? = nil, bmcFamily: String? = nil, biosFamily: String? = nil,
        profile: String? = nil
    ) {
        self.vendor = vendor
        self.modelFamily = modelFamily
        self.bmcFamily = bmcFamily
        self.biosFamily = biosFamily
        self.profile = profile
    }

    enum CodingKeys: String, CodingKey {
        case vendor
        case modelFamily = "model_family"
        case bmcFamily = "bmc_family"
        case biosFamily = "bios_family"
        case profile = "firmware_profile"
    }
}

/// When updates are downloaded and installed.
public struct UpdatePolicy: Sendable, Hashable, Codable {
    /// What the policy is for.
    public var description: String?
    /// Download available updates without asking.
    public var autoDownload: Bool
    /// Install them without asking.
    public var autoInstall: Bool
    /// Security updates bypass the other limits.
    public var securityOverride: Bool
    /// Only these priorities, when given (`critical`).
    public var includePriorities: [String]?
    /// Never these priorities (`low`).
    public var excludePriorities: [String]?

    /// Creates a policy.
    public init(
        description: String? = nil, autoDownload: Bool = false, autoInstall: Bool = false,
        securityOverride: Bool = false,
        includePriorities: [String]? = nil, excludePriorities: [String]? = nil
    ) {
        self.description = description
        self.autoDownload = autoDownload
        self.autoInstall = autoInstall
        self.securityOverride = securityOverride
        self.includePriorities = includePriorities
        self.excludePriorities = excludePriorities
    }

    enum CodingKeys: String, CodingKey {
        case description
        case autoDownload = "auto_download"
        case autoInstall = "auto_install"
        case securityOverride = "security_override"
        case includePriorities = "include_priorities"
        case excludePriorities = "exclude_priorities"
    }

    /// Decodes; absent flags are false (nothing automatic unless said).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        autoDownload = try container.decodeIfPresent(Bool.self, forKey: .autoDownload) ?? false
        autoInstall = try container.decodeIfPresent(Bool.self, forKey: .autoInstall) ?? false
        securityOverride = try container.decodeIfPresent(Bool.self, forKey: .securityOverride) ?? false
        includePriorities = try container.decodeIfPresent([String].self, forKey: .includePriorities)
        excludePriorities = try container.decodeIfPresent([String].self, forKey: .excludePriorities)
    }
}

/// A named firmware profile.
public struct FirmwareProfile: Sendable, Hashable, Codable {
    /// What it is for.
    public var description: String?
    /// What it optimises (`performance`, `security`, `stability`).
    public var priority: String?
    /// Features it enables.
    public var features: [String]

    /// Creates a profile.
    public init(description: String? = nil, priority: String? = nil, features: [String] = []) {
        self.description = description
        self.priority = priority
        self.features = features
    }

    /// Decodes, treating absent features as none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        priority = try container.decodeIfPresent(String.self, forKey: .priority)
        features = try container.decodeIfPresent([String].self, forKey: .features) ?? []
    }
}

/// A vendor's version strings as they appear in the field (e.g. HPE `U34 2.65` → `U34 2.71`).
public struct VersionExample: Sendable, Hashable, Codable {
    /// Vendor as written (`HPE`).
    public var vendor: String
    /// Device type.
    public var deviceType: String?
    /// `bios` or `bmc`.
    public var component: String
    /// The older version.
    public var current: String
    /// The newer version.
    public var latest: String

    /// Creates an example.
    public init(vendor: String, deviceType: String?, component: String, current: String, latest: String) {
        self.vendor = vendor
        self.deviceType = deviceType
        self.component = component
        self.current = current
        self.latest = latest
    }

    enum CodingKeys: String, CodingKey {
        case vendor
        case deviceType = "device_type"
        case component, current, latest
    }
}

/// Catalog-wide settings.
public struct GlobalSettings: Sendable, Hashable, Codable {
    /// How firmware updates are guarded.
    public var firmware: FirmwareSafety
    /// The BIOS method for types that do not name one.
    public var defaultBIOSMethod: BIOSMethod
    /// Probe a BMC's capabilities before choosing a method.
    public var autoDetectCapabilities: Bool

    /// Creates settings; the defaults are the conservative ones.
    public init(
        firmware: FirmwareSafety = FirmwareSafety(), defaultBIOSMethod: BIOSMethod = .hybrid,
        autoDetectCapabilities: Bool = true
    ) {
        self.firmware = firmware
        self.defaultBIOSMethod = defaultBIOSMethod
        self.autoDetectCapabilities = autoDetectCapabilities
    }

    enum CodingKeys: String, CodingKey {
        case firmware
        case defaultBIOSMethod = "default_bios_method"
        case autoDetectCapabilities = "auto_detect_capabilities"
    }
}

/// Firmware update safety rules.
public struct FirmwareSafety: Sendable, Hashable, Codable {
    /// Back up the current image before flashing.
    public var backupBeforeUpdate: Bool
    /// Read the version back after flashing.
    public var verifyAfterUpdate: Bool
    /// Restore the backup when an update fails.
    public var rollbackOnFailure: Bool
    /// Attempts before giving up.
    public var maxRetryAttempts: Int
    /// Seconds between attempts.
    public var retryDelaySeconds: Int

    /// Creates the rules; defaults: back up, verify, roll back, 3 attempts 30 s apart.
    public init(
        backupBeforeUpdate: Bool = true, verifyAfterUpdate: Bool = true, rollbackOnFailure: Bool = true,
        maxRetryAttempts: Int = 3, retryDelaySeconds: Int = 30
    ) {
        self.backupBeforeUpdate = backupBeforeUpdate
        self.verifyAfterUpdate = verifyAfterUpdate
        self.rollbackOnFailure = rollbackOnFailure
        self.maxRetryAttempts = maxRetryAttempts
        self.retryDelaySeconds = retryDelaySeconds
    }

    enum CodingKeys: String, CodingKey {
        case backupBeforeUpdate = "backup_before_update"
        case verifyAfterUpdate = "verify_after_update"
        case rollbackOnFailure = "rollback_on_failure"
        case maxRetryAttempts = "max_retry_attempts"
        case retryDelaySeconds = "retry_delay"
    }

    /// Decodes, filling what is absent with the defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = FirmwareSafety()
        backupBeforeUpdate =
            try container.decodeIfPresent(Bool.self, forKey: .backupBeforeUpdate) ?? defaults.backupBeforeUpdate
        verifyAfterUpdate =
            try container.decodeIfPresent(Bool.self, forKey: .verifyAfterUpdate) ?? defaults.verifyAfterUpdate
        rollbackOnFailure =
            try container.decodeIfPresent(Bool.self, forKey: .rollbackOnFailure) ?? defaults.rollbackOnFailure
        maxRetryAttempts =
            try container.decodeIfPresent(Int.self, forKey: .maxRetryAttempts) ?? defaults.maxRetryAttempts
        retryDelaySeconds =
            try container.decodeIfPresent(Int.self, forKey: .retryDelaySeconds) ?? defaults.retryDelaySeconds
    }
}

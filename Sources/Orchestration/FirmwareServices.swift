import Firmware
import Foundation

/// What the firmware steps use: the repository, how images reach the BMCs, and the default policy.
public struct FirmwareServices: Sendable {
    /// The local firmware repository.
    public var library: FirmwareLibrary
    /// Transfer, retries, verification, rollback, timeouts.
    public var options: FirmwareUpdater.Options
    /// The update policy when a run names none (`firmware_policy` input).
    public var defaultPolicy: String
    /// Pause between attempts of a failed push; nil: the catalog's `retry_delay`.
    public var retryDelay: Duration?

    /// Services over `library`.
    public init(
        library: FirmwareLibrary, options: FirmwareUpdater.Options,
        defaultPolicy: String = FirmwarePlanner.defaultPolicy
    ) {
        self.library = library
        self.options = options
        self.defaultPolicy = defaultPolicy
    }
}

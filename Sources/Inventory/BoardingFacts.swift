import Foundation

/// What a BMC shows about a server's fitness to hand over, as boarding validation reads it (`BoardingReader`):
/// Secure Boot, sensors with their thresholds, log entries (SEL and the vendors' equivalents), network links and
/// drives with their health. Values are the BMC's own; judging them against a device type is `BoardingValidator`'s
/// work. A section the BMC does not offer is nil or empty, and `unread` says which reads failed and why, so "no
/// sensor is out of range" is never concluded from sensors that could not be read.
public struct BoardingFacts: Sendable, Hashable, Codable {
    /// The system's `SecureBoot` resource.
    public struct SecureBoot: Sendable, Hashable, Codable {
        /// `SecureBootEnable`: whether UEFI Secure Boot is enabled (for the next boot on most BMCs).
        public var enabled: Bool?
        /// `SecureBootCurrentBoot` (`Enabled`, `Disabled`): what the running boot used.
        public var currentBoot: String?
        /// `SecureBootMode` (`SetupMode`, `UserMode`, `AuditMode`, `DeployedMode`).
        public var mode: String?

        /// Creates the facts.
        public init(enabled: Bool? = nil, currentBoot: String? = nil, mode: String? = nil) {
            self.enabled = enabled
            self.currentBoot = currentBoot
            self.mode = mode
        }

        enum CodingKeys: String, CodingKey {
            case enabled
            case currentBoot = "current_boot"
            case mode
        }
    }

    /// One sensor (a `Sensor` resource, or an entry of the older `Thermal`/`Power` resources).
    public struct Sensor: Sendable, Hashable, Codable {
        /// Its name as the BMC gives it (`CPU1 Temp`).
        public var name: String
        /// What it measures, from `ReadingType` or the array it came from (`Temperature`, `Rotational`, `Voltage`,
        /// `Power`, ...).
        public var kind: String?
        /// The reading.
        public var reading: Double?
        /// Its units (`Cel`, `RPM`, `V`, `W`, `%`).
        public var units: String?
        /// Lower critical threshold.
        public var lowerCritical: Double?
        /// Upper critical threshold.
        public var upperCritical: Double?
        /// Lower caution (non-critical) threshold.
        public var lowerCaution: Double?
        /// Upper caution (non-critical) threshold.
        public var upperCaution: Double?
        /// `Status.Health` (`OK`, `Warning`, `Critical`).
        public var health: String?
        /// `Status.State` (`Enabled`, `Absent`, ...): an absent sensor is not judged.
        public var state: String?
        /// Where it was read.
        public var path: String

        /// Creates a sensor.
        public init(
            name: String, kind: String? = nil, reading: Double? = nil, units: String? = nil,
            lowerCritical: Double? = nil, upperCritical: Double? = nil, lowerCaution: Double? = nil,
            upperCaution: Double? = nil, health: String? = nil, state: String? = nil, path: String
        ) {
            self.name = name
            self.kind = kind
            self.reading = reading
            self.units = units
            self.lowerCritical = lowerCritical
            self.upperCritical = upperCritical
            self.lowerCaution = lowerCaution
            self.upperCaution = upperCaution
            self.health = health
            self.state = state
            self.path = path
        }

        enum CodingKeys: String, CodingKey {
            case name, kind, reading, units, health, state, path
            case lowerCritical = "lower_critical"
            case upperCritical = "upper_critical"
            case lowerCaution = "lower_caution"
            case upperCaution = "upper_caution"
        }
    }

    /// One entry of a log service (`LogEntry`).
    public struct LogEntry: Sendable, Hashable, Codable {
        /// The log service's `Id` (`SEL`, `IML`, `Log1`, `Sel`).
        public var log: String
        /// The entry's `Id`.
        public var id: String
        /// `Severity` (`OK`, `Warning`, `Critical`).
        public var severity: String?
        /// `Created`, when the BMC gave a parseable time.
        public var created: Date?
        /// `Message`.
        public var message: String?
        /// `EntryType` (`SEL`, `Event`, `Oem`).
        public var entryType: String?

        /// Creates an entry.
        public init(
            log: String, id: String, severity: String? = nil, created: Date? = nil, message: String? = nil,
            entryType: String? = nil
        ) {
            self.log = log
            self.id = id
            self.severity = severity
            self.created = created
            self.message = message
            self.entryType = entryType
        }

        enum CodingKeys: String, CodingKey {
            case log, id, severity, created, message
            case entryType = "entry_type"
        }
    }

    /// One of the system's network interfaces (`EthernetInterface`).
    public struct Link: Sendable, Hashable, Codable {
        /// Its `Id`.
        public var name: String
        /// `MACAddress`.
        public var mac: String?
        /// `LinkStatus` is `LinkUp`; nil when the BMC does not say.
        public var linkUp: Bool?
        /// `SpeedMbps`.
        public var speedMbps: Int?
        /// `Status.State` (`Enabled`, `Disabled`, `Absent`).
        public var state: String?

        /// Creates a link.
        public init(name: String, mac: String? = nil, linkUp: Bool? = nil, speedMbps: Int? = nil, state: String? = nil)
        {
            self.name = name
            self.mac = mac
            self.linkUp = linkUp
            self.speedMbps = speedMbps
            self.state = state
        }

        enum CodingKeys: String, CodingKey {
            case name, mac, state
            case linkUp = "link_up"
            case speedMbps = "speed_mbps"
        }
    }

    /// One drive (`Drive`).
    public struct Drive: Sendable, Hashable, Codable {
        /// Its `Id`.
        public var name: String
        /// `CapacityBytes`.
        public var capacityBytes: Int64?
        /// `MediaType` (`SSD`, `HDD`) or `Protocol` (`NVMe`).
        public var kind: String?
        /// `Status.Health`.
        public var health: String?
        /// `Status.State`.
        public var state: String?
        /// Where it was read.
        public var path: String

        /// Creates a drive.
        public init(
            name: String, capacityBytes: Int64? = nil, kind: String? = nil, health: String? = nil,
            state: String? = nil, path: String
        ) {
            self.name = name
            self.capacityBytes = capacityBytes
            self.kind = kind
            self.health = health
            self.state = state
            self.path = path
        }

        enum CodingKeys: String, CodingKey {
            case name, kind, health, state, path
            case capacityBytes = "capacity_bytes"
        }
    }

    /// Secure Boot, when the system links a `SecureBoot` resource.
    public var secureBoot: SecureBoot?
    /// Every sensor found (the chassis' `Sensors`, else its `Thermal` and `Power`).
    public var sensors: [Sensor]
    /// Whether a sensor source was found at all (false: the BMC offers none; the check is "not checked").
    public var sensorsOffered: Bool
    /// Log entries of the system's and managers' log services (newest first as the BMC lists them; capped).
    public var logEntries: [LogEntry]
    /// Whether a log service was found at all.
    public var logsOffered: Bool
    /// The system's network interfaces.
    public var links: [Link]
    /// The system's drives.
    public var drives: [Drive]
    /// Reads that failed, each `path: why`.
    public var unread: [String]

    /// Creates facts.
    public init(
        secureBoot: SecureBoot? = nil, sensors: [Sensor] = [], sensorsOffered: Bool = false,
        logEntries: [LogEntry] = [], logsOffered: Bool = false, links: [Link] = [], drives: [Drive] = [],
        unread: [String] = []
    ) {
        self.secureBoot = secureBoot
        self.sensors = sensors
        self.sensorsOffered = sensorsOffered
        self.logEntries = logEntries
        self.logsOffered = logsOffered
        self.links = links
        self.drives = drives
        self.unread = unread
    }

    enum CodingKeys: String, CodingKey {
        case sensors, links, drives, unread
        case secureBoot = "secure_boot"
        case sensorsOffered = "sensors_offered"
        case logEntries = "log_entries"
        case logsOffered = "logs_offered"
    }
}

extension BoardingFacts.LogEntry {
    /// Whether the entry was written at or after `since`, to the second: BMCs write whole seconds, so an entry in
    /// `since`'s own second counts. An undated entry counts (it cannot be shown to be older).
    public func isWritten(since: Date) -> Bool {
        guard let created else { return true }
        return created >= Date(timeIntervalSince1970: since.timeIntervalSince1970.rounded(.down))
    }
}

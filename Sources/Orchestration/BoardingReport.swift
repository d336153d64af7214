import Foundation

/// One boarding check's verdict.
public struct BoardingCheck: Sendable, Hashable, Codable {
    /// The checks, in the order a report lists them.
    public enum Name: String, Sendable, Hashable, Codable, CaseIterable {
        /// Boot mode as the device type wants it (UEFI).
        case bootMode = "boot-mode"
        /// Secure Boot as the device type wants it.
        case secureBoot = "secure-boot"
        /// The BMC answers Redfish with the automation user.
        case bmcRedfish = "bmc-redfish"
        /// The BMC answers IPMI with the automation user.
        case bmcIPMI = "bmc-ipmi"
        /// Every sensor inside its critical thresholds.
        case sensors
        /// No critical log (SEL) entry since commissioning started.
        case eventLog = "event-log"
        /// The type's network ports up at its speed.
        case nicLinks = "nic-links"
        /// The type's drives present, at their sizes, healthy.
        case drives
        /// Firmware at the update policy's versions.
        case firmware
    }

    /// A check's result.
    public enum Result: String, Sendable, Hashable, Codable {
        /// The server meets it.
        case passed
        /// The server does not meet it: the server needs attention.
        case failed
        /// It could not be judged (the type wants nothing there, the BMC offers nothing to read, no IPMI address):
        /// never counted as passed.
        case notChecked = "not-checked"
    }

    /// Which check.
    public var name: Name
    /// Its result.
    public var result: Result
    /// What was found, in a sentence a person can act on.
    public var detail: String

    /// Creates a verdict.
    public init(_ name: Name, _ result: Result, _ detail: String) {
        self.name = name
        self.result = result
        self.detail = detail
    }
}

/// A server's boarding validation: every check with its result, and whether the server may be handed over (no
/// check failed).
public struct BoardingReport: Sendable, Hashable, Codable {
    /// The server.
    public var serverID: String
    /// The device type it was judged against.
    public var deviceType: String
    /// The checks, in `BoardingCheck.Name` order.
    public var checks: [BoardingCheck]
    /// Log entries older than this were not judged (the start of the server's commissioning); nil: all were.
    public var since: Date?
    /// When the BMC was read.
    public var checkedAt: Date

    /// Creates a report.
    public init(serverID: String, deviceType: String, checks: [BoardingCheck], since: Date?, checkedAt: Date) {
        self.serverID = serverID
        self.deviceType = deviceType
        self.checks = checks
        self.since = since
        self.checkedAt = checkedAt
    }

    /// Whether no check failed.
    public var passed: Bool { !checks.contains { $0.result == .failed } }
    /// The checks that failed.
    public var failed: [BoardingCheck] { checks.filter { $0.result == .failed } }
    /// `name: detail` of each failed check: the reasons a server needs attention.
    public var reasons: [String] { failed.map { "\($0.name.rawValue): \($0.detail)" } }

    enum CodingKeys: String, CodingKey {
        case serverID = "server_id"
        case deviceType = "device_type"
        case checks, since, passed
        case checkedAt = "checked_at"
    }

    /// Decodes (`passed` is derived, not read).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        serverID = try container.decode(String.self, forKey: .serverID)
        deviceType = try container.decode(String.self, forKey: .deviceType)
        checks = try container.decode([BoardingCheck].self, forKey: .checks)
        since = try container.decodeIfPresent(Date.self, forKey: .since)
        checkedAt = try container.decode(Date.self, forKey: .checkedAt)
    }

    /// Encodes, with `passed` for readers of the JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(serverID, forKey: .serverID)
        try container.encode(deviceType, forKey: .deviceType)
        try container.encode(checks, forKey: .checks)
        try container.encodeIfPresent(since, forKey: .since)
        try container.encode(checkedAt, forKey: .checkedAt)
        try container.encode(passed, forKey: .passed)
    }
}

extension BoardingReport {
    /// A report as the `validate` step stored it (JSON, ISO 8601 dates).
    public init(stepOutput: String) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        self = try decoder.decode(BoardingReport.self, from: Data(stepOutput.utf8))
    }
}

import Store

/// The newest drift check of every server, with a line per device type: what `GET /api/v1/drift`,
/// `hwautomation drift show` and the dashboard's drift view show.
public struct DriftReport: Sendable, Hashable, Codable {
    /// One device type's servers by verdict.
    public struct TypeSummary: Sendable, Hashable, Codable {
        /// The device type (`-` for servers without one).
        public var deviceType: String
        /// Servers checked.
        public var servers: Int
        /// In sync.
        public var inSync: Int
        /// Drifted in anything.
        public var drifted: Int
        /// With BIOS settings that differ.
        public var bios: Int
        /// With firmware behind the policy.
        public var firmware: Int
        /// Not readable at their newest check.
        public var unreachable: Int
        /// Without a device type to compare with.
        public var untyped: Int

        enum CodingKeys: String, CodingKey {
            case deviceType = "device_type"
            case servers
            case inSync = "in_sync"
            case drifted, bios, firmware, unreachable, untyped
        }
    }

    /// One line per device type, by name.
    public var types: [TypeSummary]
    /// The newest check of each server, by id.
    public var servers: [DriftRecord]

    /// The report over `records` (the newest per server).
    public init(records: [DriftRecord]) {
        servers = records.sorted { $0.serverID < $1.serverID }
        var byType: [String: TypeSummary] = [:]
        for record in servers {
            let name = record.deviceType ?? "-"
            var line =
                byType[name]
                ?? TypeSummary(
                    deviceType: name, servers: 0, inSync: 0, drifted: 0, bios: 0, firmware: 0, unreachable: 0,
                    untyped: 0)
            line.servers += 1
            switch record.state {
            case .inSync: line.inSync += 1
            case .drifted: line.drifted += 1
            case .unreachable: line.unreachable += 1
            case .untyped: line.untyped += 1
            }
            if record.biosDrift > 0 { line.bios += 1 }
            if record.firmwareDrift > 0 { line.firmware += 1 }
            byType[name] = line
        }
        types = byType.values.sorted { $0.deviceType < $1.deviceType }
    }
}

import Catalog
import Foundation
import Inventory
import Yams

/// A lab described in YAML (`hwautomation lab serve --config lab.yaml`); every field is optional.
///
/// ```yaml
/// nodes: 24                 # servers in the lab
/// types: [s2.c2.small, a1.c5.large]   # device types to cycle through (default: every unified type, vendors in turn)
/// unknown: 2                # extra servers matching no catalog type
/// latency_ms: {min: 5, max: 20}       # per answer, uniform
/// post_seconds: 2           # host POST time after a reset
/// session_limit: 4
/// session_timeout: 1800     # seconds a session may go unused before the BMC deletes it
/// supermicro_licensed: true
/// dell_busy_after_change: false       # iDRAC answers the first reset after a BIOS change with SYS518 (busy) once
/// task_polls: 2             # a firmware update task takes task_polls + 1 seconds (lab time), polled or not
/// faults: {error_rate: 0.05, garbage_rate: 0.0, timeout_rate: 0.0, reset_rate: 0.0, seed: 42,
///          lost_answer: {reset: 0.1, patch: 0.3}}  # action performed, answer lost; more in `Faults`
/// ```
public struct LabConfig: Sendable, Codable, Equatable {
    /// A range of milliseconds.
    public struct Latency: Sendable, Codable, Equatable {
        /// Lower bound.
        public var min: Int
        /// Upper bound.
        public var max: Int
    }

    /// Servers in the lab.
    public var nodes: Int?
    /// Device types to cycle through.
    public var types: [String]?
    /// Extra servers of no catalog type.
    public var unknown: Int?
    /// Answer latency.
    public var latencyMs: Latency?
    /// POST time.
    public var postSeconds: Double?
    /// Sessions per BMC.
    public var sessionLimit: Int?
    /// Seconds a session may go unused before its BMC deletes it (Redfish `SessionService.SessionTimeout`);
    /// positive, 1800 when absent.
    public var sessionTimeout: Double?
    /// Supermicro out-of-band licence present.
    public var supermicroLicensed: Bool?
    /// Dell iDRAC busy (SYS518) once at the first reset after each BIOS change (`SimulatedBMC.Settings`).
    public var dellBusyAfterChange: Bool?
    /// Firmware update task length: `taskPolls + 1` seconds of lab time (see `SimulatedBMC.Settings.taskPolls`).
    public var taskPolls: Int?
    /// Injected faults.
    public var faults: Faults?

    enum CodingKeys: String, CodingKey {
        case nodes, types, unknown
        case latencyMs = "latency_ms"
        case postSeconds = "post_seconds"
        case sessionLimit = "session_limit"
        case sessionTimeout = "session_timeout"
        case supermicroLicensed = "supermicro_licensed"
        case dellBusyAfterChange = "dell_busy_after_change"
        case taskPolls = "task_polls"
        case faults
    }

    /// An empty configuration (all defaults).
    public init() {}

    /// Reads a YAML file; errors name the file and what is wrong.
    public static func load(_ path: String) throws -> LabConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LabError(message: "\(path): cannot read the lab configuration")
        }
        let config: LabConfig
        do {
            let text = String(decoding: data, as: UTF8.self)
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return LabConfig() }
            config = try YAMLDecoder().decode(LabConfig.self, from: text)
        } catch {
            throw LabError(message: "\(path): not a lab configuration: \(error)")
        }
        do {
            try config.validate()
        } catch {
            throw LabError(message: "\(path): \(error.message)")
        }
        return config
    }

    /// Checks the values outside `faults` (which checks itself when read): `session_timeout` positive.
    public func validate() throws(LabError) {
        if let sessionTimeout, !(sessionTimeout > 0) {
            throw LabError(
                message:
                    "session_timeout: \(sessionTimeout) is not a positive number of seconds (the idle time after which a lab BMC deletes a session; real BMCs use e.g. 1800)"
            )
        }
    }

    /// The servers this configuration describes, from `catalog`. Without `types`, every type that is not only in the
    /// legacy mappings (unified and our own), the vendors taking turns (a Dell type, an HPE type, a Supermicro type,
    /// the next Dell type, ...; each vendor's in name order, a vendor whose types run out dropping out), so a small
    /// lab has servers of every vendor.
    public func servers(catalog: Catalog) throws -> [ServerModel] {
        let names = types ?? Self.interleaved(catalog.sortedDeviceTypes().filter { $0.origin != .legacy })
        let known = try names.map { name -> DeviceType in
            guard let type = catalog.deviceType(named: name) else {
                throw LabError(message: "the lab names device type `\(name)`, which the catalog does not have")
            }
            return type
        }
        guard !known.isEmpty else { throw LabError(message: "the lab has no device types to build servers from") }
        let count = nodes ?? 24
        var servers = (0..<count).map { ServerModel(deviceType: known[$0 % known.count], index: $0 + 1) }
        for extra in 0..<(unknown ?? 0) {
            servers.append(Self.unknownServer(index: count + extra + 1))
        }
        return servers
    }

    /// Type names taking turns by vendor (vendors in name order), each vendor's types in the given order.
    static func interleaved(_ types: [DeviceType]) -> [String] {
        let byVendor = Dictionary(grouping: types, by: \.vendor).sorted { $0.key < $1.key }.map(\.value)
        let longest = byVendor.map(\.count).max() ?? 0
        return (0..<longest).flatMap { round in byVendor.compactMap { round < $0.count ? $0[round].name : nil } }
    }

    /// A server no catalog type describes (an AMD box with odd memory), for "unknown hardware" paths.
    static func unknownServer(index: Int) -> ServerModel {
        let type = DeviceType(
            name: "lab.unknown", vendor: "supermicro", boards: ["H12SSL-i"],
            hardware: HardwareSpec(
                cpu: CPUSpec(model: "AMD EPYC 7313P", sockets: 1, cores: 16, frequencyGHz: 3.0), memoryGiB: 96,
                storage: [DriveGroup(count: 3, sizeGB: 3840, kind: .nvme)],
                network: [NICGroup(count: 2, speedGbps: 100)]))
        return ServerModel(deviceType: type, index: index)
    }

    /// BMC settings from this configuration.
    public var bmcSettings: SimulatedBMC.Settings {
        var settings = SimulatedBMC.Settings()
        if let postSeconds { settings.postSeconds = postSeconds }
        if let sessionLimit { settings.sessionLimit = sessionLimit }
        if let sessionTimeout { settings.sessionTimeout = sessionTimeout }
        if let supermicroLicensed { settings.supermicroLicensed = supermicroLicensed }
        if let dellBusyAfterChange { settings.dellBusyAfterChange = dellBusyAfterChange }
        if let taskPolls { settings.taskPolls = taskPolls }
        return settings
    }
}

/// A lab could not be built or run.
public struct LabError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// The message.
    public var description: String { message }
}

import Foundation
import MAAS

/// A MAAS machine as HWAutomation shows it (the API's `/maas/machines` and `maas machines --json`).
public struct MAASMachineSummary: Sendable, Hashable, Codable {
    /// MAAS's id.
    public var systemID: String
    /// MAAS's hostname.
    public var hostname: String
    /// MAAS's status name (`Ready`, `New`, …).
    public var status: String
    /// The power state MAAS last saw.
    public var powerState: String?
    /// The power driver (`ipmi`, `redfish`, …).
    public var powerType: String?
    /// Its tags.
    public var tags: [String]
    /// Its interfaces' MAC addresses.
    public var macAddresses: [String]
    /// The hardware serial, when MAAS knows it.
    public var serial: String?
    /// Its IP addresses.
    public var addresses: [String]

    /// The summary of `machine`.
    public init(_ machine: MAASMachine) {
        systemID = machine.systemID
        hostname = machine.hostname
        status = machine.statusName
        powerState = machine.powerState
        powerType = machine.powerType
        tags = machine.tagNames
        macAddresses = machine.macAddresses
        serial = machine.serial
        addresses = machine.addresses
    }

    enum CodingKeys: String, CodingKey {
        case hostname, status, tags, serial, addresses
        case systemID = "system_id"
        case powerState = "power_state"
        case powerType = "power_type"
        case macAddresses = "mac_addresses"
    }
}

import Foundation
import MAAS

/// A MAAS machine as the API shows it.
struct MAASMachineView: Codable {
    var systemID: String
    var hostname: String
    var status: String
    var powerState: String?
    var powerType: String?
    var tags: [String]
    var macAddresses: [String]
    var serial: String?
    var addresses: [String]

    init(_ machine: MAASMachine) {
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

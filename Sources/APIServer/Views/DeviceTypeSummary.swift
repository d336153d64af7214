import Catalog
import Foundation

/// A device type in a list.
struct DeviceTypeSummary: Sendable, Hashable, Codable {
    var name: String
    var vendor: String
    var description: String?
    var boards: [String]
    var origin: String
    var cpuModel: String?
    var sockets: Int
    var memoryGiB: Int?

    init(_ type: DeviceType) {
        name = type.name
        vendor = type.vendor
        description = type.description
        boards = type.boards
        origin = type.origin.rawValue
        cpuModel = type.hardware.cpu.model
        sockets = type.hardware.cpu.sockets
        memoryGiB = type.hardware.memoryGiB
    }

    enum CodingKeys: String, CodingKey {
        case name, vendor, description, boards, origin, sockets
        case cpuModel = "cpu_model"
        case memoryGiB = "memory_gib"
    }
}

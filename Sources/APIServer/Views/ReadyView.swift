import Foundation

/// `/ready`'s answer.
struct ReadyView: Sendable, Hashable, Codable {
    var status: String
    var deviceTypes: Int
    var workflows: [String]
    var maas: String?

    enum CodingKeys: String, CodingKey {
        case status, workflows, maas
        case deviceTypes = "device_types"
    }
}

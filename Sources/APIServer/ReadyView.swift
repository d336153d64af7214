import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Prometheus
import Store
import WorkflowEngine

/// `/ready`'s answer.
struct ReadyView: Codable {
    var status: String
    var deviceTypes: Int
    var workflows: [String]
    var maas: String?

    enum CodingKeys: String, CodingKey {
        case status, workflows, maas
        case deviceTypes = "device_types"
    }
}

import Foundation
import Redfish

/// The newest BIOS plan of a server.
struct BIOSPlanView: Sendable, Hashable, Codable {
    var workflowID: String
    var planned: Date?
    var plan: JSONValue

    enum CodingKeys: String, CodingKey {
        case planned, plan
        case workflowID = "workflow_id"
    }
}

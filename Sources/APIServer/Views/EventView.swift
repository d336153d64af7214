import Foundation
import Store
import WorkflowEngine

/// An event as the stream sends it.
struct EventView: Codable {
    var seq: Int64?
    var workflowID: String
    var serverID: String?
    var step: String?
    var kind: String
    var percent: Double?
    var message: String
    var at: Date

    init(event: EventRecord, serverID: String?) {
        seq = event.seq
        workflowID = event.workflowID
        self.serverID = serverID
        step = event.step
        kind = event.kind.rawValue
        percent = event.percent
        message = event.message
        at = event.at
    }

    enum CodingKeys: String, CodingKey {
        case seq, step, kind, percent, message, at
        case workflowID = "workflow_id"
        case serverID = "server_id"
    }
}

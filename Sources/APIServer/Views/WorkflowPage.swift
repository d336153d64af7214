import Foundation
import Store
import WorkflowEngine

/// A page of workflows.
struct WorkflowPage: Sendable, Hashable, Codable {
    var total: Int
    var limit: Int
    var offset: Int
    var items: [WorkflowRecord]
}

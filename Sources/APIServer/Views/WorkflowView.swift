import Foundation
import Store
import WorkflowEngine

/// A workflow with its steps.
struct WorkflowView: Sendable, Hashable, Codable {
    var workflow: WorkflowRecord
    var steps: [StepRecord]
}

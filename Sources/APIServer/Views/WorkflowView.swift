import Foundation
import Store
import WorkflowEngine

/// A workflow with its steps.
struct WorkflowView: Codable {
    var workflow: WorkflowRecord
    var steps: [StepRecord]
}

import Foundation
import Store

/// A workflow with its steps.
struct WorkflowView: Codable {
    var workflow: WorkflowRecord
    var steps: [StepRecord]
}

import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Orchestration
import Store
import WorkflowEngine

/// A workflow with its steps.
struct WorkflowView: Codable {
    var workflow: WorkflowRecord
    var steps: [StepRecord]
}

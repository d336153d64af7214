import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Orchestration
import Store
import WorkflowEngine

/// A workflow definition.
struct DefinitionView: Codable {
    var name: String
    var version: Int
    var summary: String
    var steps: [String]
}

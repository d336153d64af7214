import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store
import WorkflowEngine

/// The body of an assignment.
struct PoolAssignRequest: Codable {
    var server: String
}

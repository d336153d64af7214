import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store
import WorkflowEngine

/// A pool's definition.
struct PoolDefinition: Codable {
    var ranges: [String]
    var exclusions: [String]?
}

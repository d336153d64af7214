import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store
import WorkflowEngine

/// `catalog/validate`'s answer.
struct ValidationView: Codable {
    var valid: Bool
    var errors: Int
    var warnings: Int
    var deviceTypes: Int
    var templates: Int
    var diagnostics: [CatalogDiagnostic]

    enum CodingKeys: String, CodingKey {
        case valid, errors, warnings, templates, diagnostics
        case deviceTypes = "device_types"
    }
}

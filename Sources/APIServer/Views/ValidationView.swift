import Catalog
import Foundation

/// `catalog/validate`'s answer.
struct ValidationView: Sendable, Hashable, Codable {
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

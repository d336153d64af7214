import Foundation

/// The OpenAPI 3.1 document of the API (`Resources/openapi.json`), as served at `/api/v1/openapi.json`.
public enum OpenAPIDocument {
    /// The document's bytes, nil when the resource is missing.
    public static let data: Data? = Bundle.module.url(forResource: "openapi", withExtension: "json")
        .flatMap { try? Data(contentsOf: $0) }
}

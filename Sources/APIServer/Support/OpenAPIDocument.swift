import Foundation
import Store
import Yams

/// The OpenAPI 3.1 document of the API: written as `Resources/openapi.yaml` (the source the generated code comes
/// from), served as JSON at `/api/v1/openapi.json`.
public enum OpenAPIDocument {
    /// The document as JSON (keys sorted), nil when it did not load (`problem` says why).
    public static var data: Data? { try? loaded.get() }

    /// Why the document did not load (missing from the resources, not YAML, not a mapping); nil when it did.
    static var problem: String? {
        guard case .failure(let error) = loaded else { return nil }
        return error.message
    }

    private static let loaded: Result<Data, DocumentError> = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            return .failure(DocumentError(message: "Resources/openapi.yaml is missing from the server's bundle"))
        }
        return json(fromYAML: text)
    }()

    /// `text` (the document's YAML) as JSON with sorted keys, or why it cannot be: a YAML error with its line and
    /// column, or a document that is not a mapping.
    static func json(fromYAML text: String) -> Result<Data, DocumentError> {
        do {
            guard let document = try Yams.load(yaml: text) as? [String: Any] else {
                return .failure(DocumentError(message: "openapi.yaml is not a YAML mapping"))
            }
            return .success(
                try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes]))
        } catch {
            return .failure(DocumentError(message: "openapi.yaml does not load: \(error)"))
        }
    }

    /// Why the document cannot be served.
    struct DocumentError: Error {
        /// What is wrong, naming the file (and the line and column of a YAML error).
        var message: String
    }

    /// Who may call each operation (`"GET /api/v1/health"`), as the document declares it: `security: []` open, else
    /// a token of `x-required-scope`. An operation declaring neither is not in the table.
    static let access: [String: RouteAccess] = {
        var table: [String: RouteAccess] = [:]
        for (key, operation) in operations {
            if (operation["security"] as? [Any])?.isEmpty == true {
                table[key] = .open
            } else if let scope = (operation["x-required-scope"] as? String).flatMap(APIToken.Scope.init) {
                table[key] = .token(scope)
            }
        }
        return table
    }()

    /// What each operation's query parameters take (`"GET /api/v1/drift"` → `state`: one of …).
    static let queryRules: [String: [QueryParameterRule]] = operations.mapValues { operation in
        (operation["parameters"] as? [[String: Any]] ?? []).compactMap(QueryParameterRule.init)
    }

    /// The document's operations by `"METHOD /path"` (read once; the values are JSON objects, read-only).
    private nonisolated(unsafe) static let operations: [String: [String: Any]] = {
        guard let data, let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let paths = document["paths"] as? [String: [String: Any]]
        else { return [:] }
        var table: [String: [String: Any]] = [:]
        for (path, item) in paths {
            for case let (method, operation as [String: Any]) in item {
                table["\(method.uppercased()) \(path)"] = operation
            }
        }
        return table
    }()
}

import Foundation
import Store
import Yams

/// The OpenAPI 3.1 document of the API: written as `Resources/openapi.yaml` (the source the generated code comes
/// from), served as JSON at `/api/v1/openapi.json`.
public enum OpenAPIDocument {
    /// The document as JSON (keys sorted), nil when the resource is missing or is not a YAML mapping.
    public static let data: Data? = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8),
            let document = (try? Yams.load(yaml: text)) as? [String: Any]
        else { return nil }
        return try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
    }()

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

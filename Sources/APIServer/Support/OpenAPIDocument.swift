import Foundation
import Store

/// The OpenAPI 3.1 document of the API (`Resources/openapi.json`), as served at `/api/v1/openapi.json`.
public enum OpenAPIDocument {
    /// The document's bytes, nil when the resource is missing.
    public static let data: Data? = Bundle.module.url(forResource: "openapi", withExtension: "json")
        .flatMap { try? Data(contentsOf: $0) }

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

import APIServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

/// The OpenAPI document at /api/v1/openapi.json is kept true: every registered route is in it, and every
/// documented operation answers on the live server (a route, not the router's 404 or a 405).
@Suite("OpenAPI conformance")
struct OpenAPIConformanceTests {
    static let methods = ["get", "post", "put", "patch", "delete"]

    @Test("every route is documented, every documented operation answers, refusals are documented")
    func conformance() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        try await fixture.withServer { server, client, _ in
            let response = try await client.call(.get, "/api/v1/openapi.json", token: nil)
            #expect(response.status == .ok)
            let document = try response.dictionary()
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented: Set<RouteTable.Route> = []
            for (path, item) in paths {
                for method in Self.methods where item[method] != nil {
                    documented.insert(RouteTable.Route(method: method.uppercased(), path: path))
                }
            }
            let registered = Set(server.routes.all)
            #expect(!registered.isEmpty)
            #expect(
                registered.subtracting(documented).isEmpty,
                "registered but not documented: \(registered.subtracting(documented).sorted())")
            #expect(
                documented.subtracting(registered).isEmpty,
                "documented but not registered: \(documented.subtracting(registered).sorted())")

            for route in documented.sorted() {
                let operation = try #require(paths[route.path]?[route.method.lowercased()] as? [String: Any])
                let responses = try #require(operation["responses"] as? [String: Any])
                let open = (operation["security"] as? [Any])?.isEmpty == true
                let access = try #require(server.routes.all.first { $0 == route }?.access)
                #expect(open == (access == .open), "\(route.method) \(route.path): documented open = registered open")
                if !open {
                    #expect(
                        operation["x-required-scope"] as? String == access.description,
                        "\(route.method) \(route.path) documents the scope the router requires (\(access))")
                    #expect(responses["429"] != nil, "\(route.method) \(route.path) documents its 429")
                }
                if !open { #expect(responses["401"] != nil, "\(route.method) \(route.path) documents its 401") }
                if route.method != "GET" && !open {
                    #expect(responses["403"] != nil, "\(route.method) \(route.path) documents its 403")
                }
                var uri = route.path
                for (name, value) in [
                    ("{id}", route.path.hasPrefix("/api/v1/workflows") ? "no-such-run" : "no-such-server"),
                    ("{name}", route.path.contains("catalog") ? "a1.c5.large" : "probe-pool"), ("{server}", "node-1"),
                ] {
                    uri = uri.replacingOccurrences(of: name, with: value)
                }
                // The event stream never ends on its own: probe it with a filter that names no run.
                if route.path == "/api/v1/events" { uri += "?workflow=no-such-run" }
                let answer = try await client.call(
                    HTTPRequest.Method(route.method)!, uri, token: fixture.admin,
                    json: route.method == "GET" || route.method == "DELETE" ? nil : "{}")
                #expect(answer.status != .methodNotAllowed, "\(route.method) \(uri)")
                #expect(
                    answer.status.code < 500 || route.path.hasPrefix("/api/v1/maas"),
                    "\(route.method) \(uri): \(answer.text)")
                if answer.status == .notFound {
                    let problem = try answer.problem()
                    #expect(!problem.detail.hasPrefix("no route"), "\(route.method) \(uri) is not routed")
                }
                if !open {
                    let refused = try await client.call(HTTPRequest.Method(route.method)!, uri, token: nil)
                    #expect(refused.status == .unauthorized, "\(route.method) \(uri) without a token")
                }
            }
        }
    }
}

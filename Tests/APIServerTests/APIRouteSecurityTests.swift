import APIServer
import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Store
import Testing
import WorkflowEngine

/// Deny by default, decided by the router: every registered route, every spelling of its path a client might try,
/// every kind of token that must not get through.
@Suite("API route security")
struct APIRouteSecurityTests {
    /// What a refusal may be: unauthenticated, forbidden, no such route, or no such method.
    static let refusals: Set<Int> = [401, 403, 404, 405]

    /// A body that would write something on any route that took it, had the request got through.
    static let body = """
        {"id":"intruder","name":"intruder","bmc":"https://10.9.9.9","credential":"lab",\
        "definition":"intelligent-commissioning","servers":["node-1"],"range":"10.0.0.0/30","server":"node-1",\
        "device_type":"s2.c2.small","force":true}
        """

    /// The route's path with its parameters filled (`{id}` → `node-1`).
    static func concrete(_ path: String) -> String {
        path.replacingOccurrences(of: "{id}", with: "node-1").replacingOccurrences(of: "{server}", with: "node-1")
            .replacingOccurrences(of: "{name}", with: "rack1")
    }

    /// The spellings of `path` a path-string decision would get wrong: doubled slashes, a trailing slash, `.` and
    /// `..` segments, percent-encoded letters and `%2F`, upper case, a `;param`.
    static func variants(of path: String) -> [String] {
        let parts = path.split(separator: "/").map(String.init)
        let first = parts[0]
        let rest = parts.dropFirst().joined(separator: "/")
        let tail = rest.isEmpty ? "" : "/" + rest
        let encodedFirst = "%" + String(first.utf8.first ?? 0, radix: 16, uppercase: true) + first.dropFirst()
        var variants = [
            path, "/" + path, path + "/", "/" + first + "/." + tail, "/" + first + "/x/.." + tail,
            "/" + encodedFirst + tail, path.uppercased(), path + ";param=1", "/./" + first + tail,
        ]
        if !rest.isEmpty {
            variants += ["/" + first + "//" + rest, "/" + first + "%2F" + rest, "/" + first + "%2f" + rest]
        }
        return variants
    }

    /// What the store holds that a request could change.
    static func snapshot(_ store: any Store) async throws -> [String] {
        let servers = try await store.servers().map(\.id).sorted()
        let workflows = try await store.workflows(WorkflowFilter(limit: Int.max)).map(\.id).sorted()
        let audit = try await store.auditLog(limit: 10_000).map { "\($0.action) \($0.target)" }
        let credentials = try await store.credentials().map(\.name).sorted()
        return servers + ["|"] + workflows + ["|"] + audit + ["|"] + credentials
    }

    @Test(
        "every protected route, every path variant, no/bad/expired/too-small token: 401, 403, 404 or 405; nothing written"
    )
    func everyRouteEveryVariant() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        let (expired, expiredSecret) = APIToken.make(
            name: "expired", scope: .admin, expires: Date(timeIntervalSinceNow: -60))
        try await fixture.store.createToken(expired)
        try await fixture.withServer { server, client, _ in
            let before = try await Self.snapshot(fixture.store)
            let routes = server.routes.all
            #expect(routes.count > 30, "the table lists every route")
            var tried = 0
            var leaks: [String] = []
            for route in routes {
                guard let needed = route.access.scope else { continue }
                let method = try #require(HTTPRequest.Method(route.method))
                let path = Self.concrete(route.path)
                // Every spelling without a token, with an unknown one and with one too small for the route; the
                // other refusals (an expired token, HEAD, OPTIONS) on the plain and the doubled-slash spellings.
                var attempts: [(HTTPRequest.Method, String, String?)] = []
                for variant in Self.variants(of: path) {
                    attempts.append((method, variant, nil))
                    attempts.append((method, variant, "hwa_not-a-token"))
                    if needed > .read { attempts.append((method, variant, fixture.reader)) }
                    if needed > .operator { attempts.append((method, variant, fixture.operatorToken)) }
                }
                for variant in [path, "/" + path] {
                    attempts.append((method, variant, expiredSecret))
                    attempts.append((.head, variant, nil))
                    attempts.append((.options, variant, nil))
                }
                for (method, uri, token) in attempts {
                    let response = try await client.call(
                        method, uri, token: token, json: method == .get || method == .head ? nil : Self.body)
                    tried += 1
                    if !Self.refusals.contains(response.status.code) {
                        leaks.append(
                            "\(method.rawValue) \(uri) token=\(token == nil ? "none" : "some") → \(response.status.code)"
                        )
                    }
                }
            }
            #expect(leaks.isEmpty, "requests that got through: \(leaks.prefix(20))")
            #expect(tried > 500)
            #expect(try await Self.snapshot(fixture.store) == before, "a refused request writes nothing")
        }
    }

    @Test("the open routes are exactly health, the OpenAPI document and the dashboard")
    func openRoutes() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        try await fixture.withServer { server, client, _ in
            let open = server.routes.all.filter { $0.access == .open }.map(\.path).sorted()
            #expect(open == ["/api/v1/health", "/api/v1/openapi.json"])
            let dashboard = try await client.call(.get, "/dashboard/", token: nil)
            #expect(dashboard.status == .ok)
            let document = try await client.call(.get, "/api/v1/openapi.json", token: nil)
            #expect(document.status == .ok)
        }
    }

    @Test("roles: read only reads; operator starts, cancels and resumes runs but cannot change servers or MAAS")
    func roles() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        try await fixture.withServer { _, client, _ in
            let start = #"{"definition":"intelligent-commissioning","servers":["node-1"],"dry_run":true}"#
            let byReader = try await client.call(.post, "/api/v1/workflows", token: fixture.reader, json: start)
            #expect(byReader.status == .forbidden)
            let byOperator = try await client.call(
                .post, "/api/v1/workflows", token: fixture.operatorToken, json: start)
            #expect(byOperator.status == .accepted)
            let run = try #require(try byOperator.array().first?["id"] as? String)
            try await eventually("the dry run ends") {
                let state = try await fixture.store.workflow(id: run)?.state
                return state != .pending && state != .running
            }

            // A MAAS target or a weaker TLS policy is an admin's choice, not an operator's.
            let maas =
                #"{"definition":"intelligent-commissioning","servers":["node-1"],"maas_url":"http://10.9.9.9","maas_credential":"maas"}"#
            let redirected = try await client.call(.post, "/api/v1/workflows", token: fixture.operatorToken, json: maas)
            #expect(redirected.status == .forbidden)
            #expect(try redirected.problem().detail.contains("maas_url"))
            let insecure = #"{"definition":"intelligent-commissioning","servers":["node-1"],"tls":"insecure"}"#
            let weakened = try await client.call(
                .post, "/api/v1/workflows", token: fixture.operatorToken, json: insecure)
            #expect(weakened.status == .forbidden)

            let server = #"{"id":"new-1","bmc":"https://10.0.0.9"}"#
            let serverByOperator = try await client.call(
                .post, "/api/v1/servers", token: fixture.operatorToken, json: server)
            #expect(serverByOperator.status == .forbidden)
            #expect(try serverByOperator.problem().detail.contains("needs admin"))
            #expect(try await fixture.store.server(id: "new-1") == nil)
            let pool = try await client.call(
                .put, "/api/v1/pools/rack1", token: fixture.operatorToken, json: #"{"range":"10.0.0.0/30"}"#)
            #expect(pool.status == .forbidden)
            let sync = try await client.call(.post, "/api/v1/maas/sync", token: fixture.operatorToken)
            #expect(sync.status == .forbidden)
            let serverByAdmin = try await client.call(.post, "/api/v1/servers", token: fixture.admin, json: server)
            #expect(serverByAdmin.status == .created)
        }
    }

    @Test("an expired token is refused at once; a used token's last use is recorded")
    func expiryAndLastUse() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        let (soon, soonSecret) = APIToken.make(name: "soon", scope: .read, expires: Date(timeIntervalSinceNow: -1))
        try await fixture.store.createToken(soon)
        try await fixture.withServer { _, client, _ in
            let refused = try await client.call(.get, "/api/v1/servers", token: soonSecret)
            #expect(refused.status == .unauthorized)
            #expect(try refused.problem().detail.contains("expired"))
            #expect(try await fixture.store.tokens().first { $0.name == "reader" }?.lastUsed == nil)
            #expect(try await client.call(.get, "/api/v1/servers", token: fixture.reader).status == .ok)
            let used = try #require(try await fixture.store.tokens().first { $0.name == "reader" }?.lastUsed)
            #expect(abs(used.timeIntervalSinceNow) < 300)
        }
    }

    @Test("over its rate a token gets 429 with Retry-After; other tokens are not held back")
    func rateLimit() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        let security = APISecurity(requestsPerSecond: 0.001, burst: 3)
        try await fixture.withServer(security: security) { _, client, _ in
            for _ in 0..<3 {
                #expect(try await client.call(.get, "/api/v1/servers", token: fixture.reader).status == .ok)
            }
            let limited = try await client.call(.get, "/api/v1/servers", token: fixture.reader)
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await client.call(.get, "/api/v1/servers", token: fixture.admin).status == .ok)
        }
    }

    @Test("a token holds at most its cap of live streams; a revoked token's open stream ends by itself")
    func streams() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        let (watcher, watcherSecret) = APIToken.make(name: "watcher", scope: .read)
        try await fixture.store.createToken(watcher)
        let security = APISecurity(streamsPerToken: 1, tokenRecheck: .milliseconds(200))
        try await fixture.withServer(security: security) { _, client, _ in
            let port = try #require(client.port)
            var request = HTTPClientRequest.events(port: port, token: watcherSecret)
            let first = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
            #expect(first.status == .ok)
            let second = try await client.call(.get, "/api/v1/events", token: watcherSecret)
            #expect(second.status == .tooManyRequests)
            #expect(try await fixture.store.revokeToken(name: "watcher", at: Date()))
            // The stream ends without the client doing anything: reading to the end returns.
            var received = ""
            for try await buffer in first.body { received += String(buffer: buffer) }
            #expect(received.contains(": connected"))
            // Its slot is given back: the cap counts open streams only (a working token gets one again).
            request = HTTPClientRequest.events(port: port, token: fixture.reader)
            let again = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
            #expect(again.status == .ok)
        }
    }

    @Test("every answer, a 404 and the dashboard included, carries the security headers")
    func securityHeaders() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        try await fixture.withServer { _, client, _ in
            for (uri, token) in [("/nope", nil), ("/dashboard/", nil), ("/api/v1/servers", fixture.reader)] {
                let response = try await client.call(.get, uri, token: token)
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true, "\(uri)")
                #expect(response.headers[.strictTransportSecurity] == nil, "no HSTS over plain HTTP")
            }
            let dashboard = try await client.call(.get, "/dashboard/", token: nil)
            #expect(dashboard.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
        }
    }
}

extension HTTPClientRequest {
    /// `GET /api/v1/events` on a local server with a bearer token.
    static func events(port: Int, token: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/events")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        return request
    }
}

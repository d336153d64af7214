import APIServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

/// Tokens: every route but health needs one; read tokens only read; refusals are problem+json; audit names the token.
@Suite("API auth")
struct APIAuthTests {
    @Test("health is open; no token, an unknown and a revoked token get 401 problems; a read token may not POST")
    func refusals() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        let (revoked, revokedSecret) = APIToken.make(name: "old", scope: .admin)
        try await fixture.store.createToken(revoked)
        #expect(try await fixture.store.revokeToken(name: "old", at: Date()))
        try await fixture.withServer { _, client, _ in
            let health = try await client.call(.get, "/api/v1/health", token: nil)
            #expect(health.status == .ok)
            #expect(try health.dictionary()["status"] as? String == "ok")

            for path in ["/api/v1/servers", "/api/v1/workflows", "/api/v1/audit", "/metrics", "/api/v1/ready"] {
                let refused = try await client.call(.get, path, token: nil)
                #expect(refused.status == .unauthorized, "\(path)")
                let problem = try refused.problem()
                #expect(problem.status == 401 && problem.detail.contains("API token"))
                #expect(problem.instance == path)
                #expect(refused.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            let unknown = try await client.call(.get, "/api/v1/servers", token: "hwa_nottoken")
            #expect(unknown.status == .unauthorized)
            #expect(!unknown.text.contains("hwa_nottoken"), "a refusal never echoes the secret")
            let old = try await client.call(.get, "/api/v1/servers", token: revokedSecret)
            #expect(old.status == .unauthorized)
            #expect(try old.problem().detail.contains("revoked"))

            let read = try await client.call(.get, "/api/v1/servers", token: fixture.reader)
            #expect(read.status == .ok)
            let forbidden = try await client.call(
                .post, "/api/v1/servers", token: fixture.reader, json: #"{"id":"x","bmc":"http://10.0.0.1"}"#)
            #expect(forbidden.status == .forbidden)
            #expect(try forbidden.problem().detail.contains("needs admin"))
            #expect(try await fixture.store.server(id: "x") == nil, "a refused write changes nothing")

            // The token rides in the query on the events route only.
            let query = try await client.call(.get, "/api/v1/servers?access_token=\(fixture.admin)", token: nil)
            #expect(query.status == .unauthorized)
        }
    }

    @Test("the audit log records which token did what")
    func audit() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        try await fixture.withServer { _, client, _ in
            let created = try await client.call(
                .post, "/api/v1/servers", token: fixture.admin,
                json: #"{"id":"r1","name":"rack one","bmc":"https://10.0.0.9"}"#)
            #expect(created.status == .created)
            let deleted = try await client.call(.delete, "/api/v1/servers/r1", token: fixture.admin)
            #expect(deleted.status == .noContent)
            let log = try await client.call(.get, "/api/v1/audit?limit=10", token: fixture.reader)
            let entries = try log.array()
            #expect(entries.first?["action"] as? String == "server.delete")
            #expect(entries.first?["actor"] as? String == "token admin")
            #expect(entries.contains { $0["action"] as? String == "server.create" && $0["target"] as? String == "r1" })
            let mine = try await client.call(.get, "/api/v1/audit?actor=token%20reader", token: fixture.reader)
            #expect(try mine.array().isEmpty)
            for limit in ["0", "10001"] {
                let refused = try await client.call(.get, "/api/v1/audit?limit=\(limit)", token: fixture.reader)
                #expect(refused.status == .badRequest)
                #expect(try refused.problem().detail == "query parameter `limit` must be an integer from 1 to 10000")
            }
            let notANumber = try await client.call(.get, "/api/v1/audit?limit=ten", token: fixture.reader)
            #expect(notANumber.status == .badRequest)
            // Read by the generated decoder, named by the document's rule for the parameter: the same answer.
            #expect(try notANumber.problem().detail == "query parameter `limit` must be an integer from 1 to 10000")
        }
    }

    @Test("no CORS headers by default")
    func noCORS() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        try await fixture.withServer { _, client, _ in
            let response = try await client.call(
                .get, "/api/v1/servers", token: fixture.reader,
                headers: [.origin: "https://evil.example"])
            #expect(response.headers[.accessControlAllowOrigin] == nil)
        }
    }
}

import APIServer
import Catalog
import Foundation
import HTTPTypes
import HummingbirdTesting
import Inventory
import Store
import Testing
import WorkflowEngine

/// `GET /catalog/proposals` and `POST /catalog/proposals/{id}/accept` over lab servers discovered through the API.
@Suite("API catalog proposals")
struct APIProposalTests {
    /// A catalog directory in our schema (the built-in catalog, written out) in a new temporary folder.
    static func catalogDirectory() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-api-prop-\(UUID().uuidString)")
        let directory = root.appendingPathComponent("catalog")
        try CatalogWriter.write(try CatalogLoader.load(directory: nil).catalog, to: directory)
        return directory
    }

    /// Discovers every lab server through the API and waits for the runs to end.
    static func discoverAll(_ fixture: APIFixture, _ client: any TestClientProtocol) async throws {
        for node in 1...fixture.servers.count {
            let discover = try await client.call(
                .post, "/api/v1/servers/node-\(node)/discover", token: fixture.operatorToken, json: "{}")
            #expect(discover.status == .accepted, "\(discover.text)")
        }
        let store = fixture.store
        try await eventually("discovery to finish") {
            try await store.workflows(WorkflowFilter()).allSatisfy { APIWorkflowTests.finished.contains($0.state) }
        }
    }

    @Test("list for a reader; accept: 403 for operator and reader, 404 unknown, 400 bad name, 201 admin, 409 again")
    func listAndAccept() async throws {
        let directory = try Self.catalogDirectory()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let fixture = try await APIFixture.make(nodes: 1, unknown: 2, catalogDirectory: directory.path)
        try await fixture.withServer { _, client, _ in
            try await Self.discoverAll(fixture, client)
            let listed = try await client.call(.get, "/api/v1/catalog/proposals", token: fixture.reader)
            #expect(listed.status == .ok, "\(listed.text)")
            let proposals = try listed.array()
            #expect(proposals.count == 1, "node-1 is a catalog type; node-2 and node-3 are one unknown build")
            let proposal = try #require(proposals.first)
            #expect(proposal["count"] as? Int == 2)
            #expect(
                (proposal["servers"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["node-2", "node-3"])
            #expect(proposal["vendor"] as? String == "supermicro")
            let id = try #require(proposal["id"] as? String)
            let accept = "/api/v1/catalog/proposals/\(id)/accept"
            let file = directory.appendingPathComponent("vendors/supermicro.yaml")
            let before = try Data(contentsOf: file)

            for token in [fixture.operatorToken, fixture.reader] {
                let refused = try await client.call(.post, accept, token: token, json: #"{"name":"a9.c1.large"}"#)
                #expect(refused.status == .forbidden, "\(refused.text)")
            }
            let unknown = try await client.call(
                .post, "/api/v1/catalog/proposals/000000000000/accept", token: fixture.admin, json: "{}")
            #expect(unknown.status == .notFound)
            #expect(try unknown.problem().detail.hasPrefix("no proposal 000000000000; the current ones are \(id)"))
            let bad = try await client.call(.post, accept, token: fixture.admin, json: #"{"name":"a9_c1_large"}"#)
            #expect(bad.status == .badRequest)
            #expect(try bad.problem().detail.hasPrefix("`name`: `a9_c1_large` has an underscore"))
            // A body the document's schema does not take: refused before the handler, naming the field.
            let wrongType = try await client.call(.post, accept, token: fixture.admin, json: #"{"name":7}"#)
            #expect(wrongType.status == .badRequest)
            #expect(try wrongType.problem().detail == "`name` has the wrong type")
            let notJSON = try await client.call(.post, accept, token: fixture.admin, json: "{name")
            #expect(notJSON.status == .badRequest)
            #expect(try notJSON.problem().detail == "the body is not a JSON object of the shape this route takes")
            let taken = try await client.call(.post, accept, token: fixture.admin, json: #"{"name":"s2.c2.small"}"#)
            #expect(taken.status == .conflict)
            #expect(try Data(contentsOf: file) == before, "nothing written by a refusal")

            let created = try await client.call(.post, accept, token: fixture.admin, json: #"{"name":"a9.c1.large"}"#)
            #expect(created.status == .created, "\(created.text)")
            let body = try created.dictionary()
            #expect(body["name"] as? String == "a9.c1.large" && body["active_after_restart"] as? Bool == true)
            #expect(body["file"] as? String == file.path)
            #expect(body["servers"] as? [String] == ["node-2", "node-3"])
            let written = try Data(contentsOf: file)
            #expect(written != before)
            let again = try await client.call(.post, accept, token: fixture.admin, json: #"{"name":"a9.c1.large"}"#)
            #expect(again.status == .conflict)
            #expect(try again.problem().detail.contains("already exists"))
            #expect(try Data(contentsOf: file) == written)
            let audit = try await fixture.store.auditLog(limit: 10)
            #expect(audit.contains { $0.action == "catalog.proposal.accept" && $0.actor == "token admin" })

            // After a restart (the catalog loaded again from the directory) the servers are the new type.
            let classifier = Classifier(catalog: try CatalogLoader.load(directory: directory.path).catalog)
            let text = try #require(try await fixture.store.server(id: "node-2")?.inventory)
            let result = classifier.classify(try JSONDecoder().decode(Inventory.self, from: Data(text.utf8)))
            #expect(result.deviceType == "a9.c1.large" && result.confidence == .high)
        }
    }

    @Test("a server on the built-in catalog lists proposals but has nowhere to write them: 503 naming --config-dir")
    func builtInCatalog() async throws {
        let fixture = try await APIFixture.make(nodes: 0, unknown: 1)
        try await fixture.withServer { _, client, _ in
            try await Self.discoverAll(fixture, client)
            let proposals = try await client.call(.get, "/api/v1/catalog/proposals", token: fixture.reader).array()
            let id = try #require(proposals.first?["id"] as? String)
            let answer = try await client.call(
                .post, "/api/v1/catalog/proposals/\(id)/accept", token: fixture.admin, json: "{}")
            #expect(answer.status == .serviceUnavailable)
            #expect(try answer.problem().detail.contains("--config-dir"))
        }
    }
}

import APIServer
import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import Remote
import Store
import TestSupport
import Testing
import WorkflowEngine

/// Server-Sent Events: ids are stored sequence numbers; a client that drops and comes back with Last-Event-ID gets
/// every event it missed, none twice, in order; filters by workflow and server.
@Suite("API events (SSE)", .serviceScope)
struct EventStreamTests {
    /// One received SSE message.
    struct Message: Sendable {
        var id: Int64
        var object: [String: String]
    }

    /// Reads SSE messages from `port` until `until` says stop (then drops the connection).
    static func read(
        port: Int, query: String = "", lastEventID: Int64?, token: String,
        until: @escaping @Sendable ([Message]) -> Bool
    ) async throws -> [Message] {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/events\(query)")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: "\(lastEventID)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
        #expect(response.status == .ok)
        #expect(response.headers.first(name: "content-type") == "text/event-stream")
        var pending = ""
        var messages: [Message] = []
        for try await buffer in response.body {
            pending += String(buffer: buffer)
            while let end = pending.range(of: "\n\n") {
                let block = pending[..<end.lowerBound]
                pending = String(pending[end.upperBound...])
                var id: Int64?
                var data = ""
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("id: ") { id = Int64(line.dropFirst(4)) }
                    if line.hasPrefix("data: ") { data += line.dropFirst(6) }
                }
                guard let id, let json = try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any]
                else { continue }
                messages.append(Message(id: id, object: json.compactMapValues { $0 as? String }))
            }
            if until(messages) { break }
        }
        return messages
    }

    @Test("disconnect mid-batch, reconnect with Last-Event-ID: every stored event arrives once, in order")
    func resume() async throws {
        let fixture = try await APIFixture.make(nodes: 3, postSeconds: 1)
        try await fixture.withServer { _, client, _ in
            let port = try #require(client.port)
            let token = fixture.reader
            let started = try await client.call(
                .post, "/api/v1/workflows", token: fixture.admin,
                json: #"{"definition":"intelligent-commissioning","servers":["node-1","node-2","node-3"]}"#)
            let batch = try #require(try started.array().first?["batch"] as? String)
            // First connection: from the beginning (Last-Event-ID 0), dropped after a few events.
            let first = try await Self.read(port: port, lastEventID: 0, token: token) { $0.count >= 6 }
            #expect(first.count >= 6)
            let store = fixture.store
            try await eventually("the batch to finish") {
                try await store.workflows(WorkflowFilter(batch: batch)).allSatisfy {
                    [.succeeded, .failed, .waiting, .cancelled].contains($0.state)
                }
            }
            let stored = try await store.events(workflowID: nil, after: 0, limit: 100_000).compactMap(\.seq)
            let lastStored = try #require(stored.last)
            // Second connection: resumes after the last id the first one saw, until it has seen the last stored event.
            let second = try await Self.read(port: port, lastEventID: first.last?.id, token: token) {
                ($0.last?.id ?? 0) >= lastStored
            }
            let received = first.map(\.id) + second.map(\.id)
            #expect(received == stored, "missing: \(Set(stored).subtracting(received).sorted())")
            #expect(second.allSatisfy { $0.id > first.last!.id })
            #expect(second.last?.object["kind"] != nil && second.last?.object["server_id"] != nil)

            // Filters: one server's events, one workflow's events (replayed from the store).
            let serverEvents = try await store.workflows(WorkflowFilter(serverID: "node-2"))
            var expected: [Int64] = []
            for run in serverEvents {
                expected += try await store.events(workflowID: run.id, after: 0, limit: 10_000).compactMap(\.seq)
            }
            expected.sort()
            let last = try #require(expected.last)
            let filtered = try await Self.read(port: port, query: "?server=node-2", lastEventID: 0, token: token) {
                ($0.last?.id ?? 0) >= last
            }
            #expect(filtered.map(\.id) == expected)
            #expect(filtered.allSatisfy { $0.object["server_id"] == "node-2" })
            let run = try #require(serverEvents.first?.id)
            let byRun = try await Self.read(
                port: port, query: "?workflow=\(run)&after=0", lastEventID: nil, token: token
            ) {
                ($0.last?.id ?? 0) >= last
            }
            #expect(byRun.allSatisfy { $0.object["workflow_id"] == run } && !byRun.isEmpty)
        }
    }

    @Test("events another process stores (not this server's engine) reach an open stream from the store")
    func otherWriters() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        try await Self.otherWriterReachesStream(fixture, writer: fixture.store)
    }

    @Test(
        "with a shared PostgreSQL, events another process stores reach an open stream (LISTEN/NOTIFY)",
        .enabled(if: Peer.postgres.enabled))
    func otherProcessOnPostgres() async throws {
        // Two connections to one new database: the server's store, and another process's.
        let logger = Logger(label: "api-test.postgres")
        let (configuration, _) = try await Self.newDatabase(logger: logger)
        let box = SecretBox.ephemeral()
        let serverStore = try await PostgresStore.open(configuration, box: box, logger: logger)
        let otherProcess = try await PostgresStore.open(configuration, box: box, logger: logger)
        try await Self.otherWriterReachesStream(
            try await APIFixture.make(nodes: 1, store: serverStore), writer: otherProcess)
    }

    /// A new database on the PostgreSQL peer: its configuration, and a psql call on it (a query's output).
    static func newDatabase(logger: Logger) async throws -> (
        PostgresConfiguration, psql: @Sendable (String) async throws -> String
    ) {
        let base = try Peer.value("HWA_TEST_POSTGRES_URL")
        let name = "api_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let environment = ["PGPASSWORD": try Peer.secret("HWA_TEST_POSTGRES_PASSWORD_FILE")]
        _ = try await ProcessRunner(logger: logger).check(
            Command("psql", [base, "-XAtc", "CREATE DATABASE \(name)"], environment: environment))
        let url = base.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
        let configuration = try PostgresConfiguration(
            url: url, environment: ["HWA_DATABASE_PASSWORD_FILE": try Peer.value("HWA_TEST_POSTGRES_PASSWORD_FILE")])
        return (
            configuration,
            { query in
                try await ProcessRunner(logger: logger).check(
                    Command("psql", [url, "-XAtc", query], environment: environment)
                ).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        )
    }

    @Test(
        "with PostgreSQL, the server holds one LISTEN connection however many streams are open",
        .enabled(if: Peer.postgres.enabled))
    func oneListenerPerProcess() async throws {
        let logger = Logger(label: "api-test.postgres")
        let (configuration, psql) = try await Self.newDatabase(logger: logger)
        let store = try await PostgresStore.open(configuration, box: SecretBox.ephemeral(), logger: logger)
        let fixture = try await APIFixture.make(nodes: 1, store: store)
        let listeners =
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'"
        try await fixture.withServer { _, client, _ in
            let port = try #require(client.port)
            try await eventually("the server's listener is connected") { try await psql(listeners) == "1" }
            var open: [HTTPClientResponse] = []
            for token in [fixture.reader, fixture.admin, fixture.operatorToken] {
                let response = try await HTTPClient.shared.execute(
                    HTTPClientRequest.events(port: port, token: token), timeout: .seconds(120))
                #expect(response.status == .ok)
                open.append(response)
            }
            #expect(try await psql(listeners) == "1", "three streams, one LISTEN connection")
            _ = open
        }
    }

    /// A run `writer` stores before the stream opens is replayed; one it stores while the stream is live (not
    /// through the server's engine) reaches it through the store.
    static func otherWriterReachesStream(_ fixture: APIFixture, writer: any Store) async throws {
        @Sendable func storeRun(_ id: String) async throws {
            _ = try await writer.createWorkflow(
                WorkflowRecord(id: id, definition: "elsewhere", version: 1, serverID: "node-1"), steps: [],
                event: EventRecord(workflowID: id, kind: .workflowCreated, message: "stored by another process"))
        }
        try await storeRun("first")
        try await fixture.withServer { _, client, _ in
            let port = try #require(client.port)
            let (replayed, replayedNow) = AsyncStream.makeStream(of: Void.self)
            async let messages = Self.read(port: port, lastEventID: 0, token: fixture.reader) { messages in
                if messages.contains(where: { $0.object["workflow_id"] == "first" }) { replayedNow.yield() }
                return messages.contains { $0.object["workflow_id"] == "second" }
            }
            // Once the stream has replayed "first" it is live: "second" reaches it only through the store.
            for await _ in replayed { break }
            try await storeRun("second")
            let received = try await messages
            #expect(received.map { $0.object["workflow_id"] } == ["first", "second"])
            #expect(received.last?.object["server_id"] == "node-1")
        }
    }

    @Test("the events route takes ?access_token= (for EventSource); bad filters and ids are problems")
    func refusals() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        try await fixture.withServer { _, client, _ in
            let noToken = try await client.call(.get, "/api/v1/events", token: nil)
            #expect(noToken.status == .unauthorized)
            let badFilter = try await client.call(.get, "/api/v1/events?workflow=nope", token: fixture.reader)
            #expect(badFilter.status == .notFound)
            let badID = try await client.call(
                .get, "/api/v1/events?access_token=\(fixture.reader)", token: nil, headers: [.lastEventID: "x"])
            #expect(badID.status == .badRequest)
            #expect(try badID.problem().detail.contains("Last-Event-ID"))
        }
    }
}

extension HTTPField.Name {
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}

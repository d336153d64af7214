import ChildTasks
import Foundation
import TestSupport
import Testing
import WorkflowEngine

@testable import Store

/// What only the PostgreSQL store has to prove: its migrations, reopening, several processes at once.
@Suite("PostgreSQL store", .enabled(if: Peer.postgres.enabled), .serviceScope)
struct PostgresStoreTests {
    @Test("migrations from empty carry SQLite's names; a second opener (another worker) finds them applied")
    func migrations() async throws {
        let configuration = try await PostgresScratch.database()
        let box = SecretBox.ephemeral()
        let first = try await PostgresStore.open(configuration, box: box, logger: PostgresScratch.logger)
        let sqlite = try SQLiteStore(
            path: FileManager.default.temporaryDirectory.appendingPathComponent("hwa-\(UUID().uuidString).sqlite").path,
            box: .ephemeral())
        #expect(try await first.appliedMigrations() == (try sqlite.appliedMigrations()))
        try await first.upsertServer(ServerRecord(id: "S1", name: "one", tags: ["x"]))
        try await first.putCredential(name: "bmc", user: "admin", secret: "s3cret", kind: "bmc")
        // Two openers at once: the advisory lock makes the second wait, then find nothing to do.
        async let second = PostgresStore.open(configuration, box: box, logger: PostgresScratch.logger)
        async let third = PostgresStore.open(configuration, box: box, logger: PostgresScratch.logger)
        let (b, c) = try await (second, third)
        #expect(try await b.server(id: "S1")?.tags == ["x"])
        #expect(try await c.credential(name: "bmc")?.secret == "s3cret")
        #expect(try await c.appliedMigrations().count == PostgresStore.migrations.count)
    }

    @Test("two workers' stores assign 1,000 addresses from 50 tasks without a duplicate; claims are exclusive")
    func concurrentWorkers() async throws {
        let configuration = try await PostgresScratch.database()
        let box = SecretBox.ephemeral()
        let a = try await PostgresStore.open(configuration, box: box, logger: PostgresScratch.logger)
        let b = try await PostgresStore.open(configuration, box: box, logger: PostgresScratch.logger)
        try await a.definePool(name: "rack", ranges: ["10.20.0.0/22"], exclusions: [])
        let assigned = try await withThrowingTaskGroup(of: [String].self) { group in
            for task in 0..<50 {
                let store = task % 2 == 0 ? a : b
                group.addTask {
                    var mine: [String] = []
                    for index in 0..<20 {
                        mine.append(try await store.assign(pool: "rack", serverID: "s\(task)-\(index)"))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(assigned.count == 1000)
        #expect(Set(assigned).count == 1000)
        #expect(try await b.assignments(pool: "rack").count == 1000)
        let workflow = WorkflowRecord(id: "W1", definition: "d", version: 1, serverID: "S1")
        _ = try await a.createWorkflow(
            workflow, steps: [], event: EventRecord(workflowID: "W1", kind: .workflowCreated, message: ""))
        async let claimA = a.claimWorkflow(id: "W1", owner: "a:1", replacing: nil, staleBefore: .distantPast)
        async let claimB = b.claimWorkflow(id: "W1", owner: "b:1", replacing: nil, staleBefore: .distantPast)
        let claims = try await [claimA, claimB].compactMap { $0 }
        #expect(claims.count == 1, "exactly one worker owns the workflow")
    }

    @Test("a wrong password and an unreachable server are clear errors naming the database, not the password")
    func errors() async throws {
        var wrong = try PostgresScratch.configuration()
        wrong.password = "not-the-password"
        let error = await #expect(throws: StoreError.self) {
            _ = try await PostgresStore.open(wrong, box: .ephemeral(), logger: PostgresScratch.logger)
        }
        #expect(error?.message.contains("postgres://hwa@127.0.0.1") == true)
        #expect(error?.message.contains("not-the-password") == false)
        let refused = try PostgresConfiguration(url: "postgres://hwa@127.0.0.1:1/nowhere?sslmode=disable")
        let unreachable = await #expect(throws: StoreError.self) {
            _ = try await PostgresStore.open(refused, box: .ephemeral(), logger: PostgresScratch.logger)
        }
        #expect(unreachable?.message.contains("postgres://hwa@127.0.0.1:1/nowhere") == true)
        #expect(throws: StoreError.self) { try PostgresConfiguration(url: "mysql://x") }
        #expect(PostgresConfiguration.redacted("postgres://u:pw@h/db").contains("pw") == false)
    }

    @Test("the pool is a service of its scope: withStore's store stops working when it returns; no scope, no store")
    func poolInAScope() async throws {
        let configuration = try await PostgresScratch.database()
        // A scope of its own (inside the test's): the pool ends when withStore returns, not with the test.
        let escaped = try await PostgresStore.withStore(
            configuration, box: .ephemeral(), logger: PostgresScratch.logger
        ) { store in
            try await store.upsertServer(ServerRecord(id: "S1", name: "one"))
            #expect(try await store.server(id: "S1")?.name == "one")
            return store
        }
        let closed = await #expect(throws: StoreError.self) { _ = try await escaped.server(id: "S1") }
        #expect(closed?.message.contains(configuration.description) == true)
        // Opened with no scope around it, nothing would ever stop the pool: refused before connecting.
        let outside = await ServiceScope.$current.withValue(nil) {
            await #expect(throws: StoreError.self) {
                _ = try await PostgresStore.open(configuration, box: .ephemeral(), logger: PostgresScratch.logger)
            }
        }
        #expect(outside?.message.contains("ServiceScope.run") == true)
    }

    @Test("events stored by one process are announced to another (LISTEN/NOTIFY)")
    func notifications() async throws {
        let configuration = try await PostgresScratch.database()
        let listener = try await PostgresStore.open(configuration, box: .ephemeral(), logger: PostgresScratch.logger)
        let writer = try await PostgresStore.open(configuration, box: .ephemeral(), logger: PostgresScratch.logger)
        let stream = try #require(listener.eventNotifications(logger: PostgresScratch.logger))
        _ = try await writer.createWorkflow(
            WorkflowRecord(id: "W1", definition: "d", version: 1, serverID: "S1"), steps: [],
            event: EventRecord(workflowID: "W1", kind: .workflowCreated, message: ""))
        // The listener may start listening after the first events: the writer keeps storing until one is heard.
        let heard = try await withThrowingTaskGroup(of: Int64?.self) { group in
            group.addTask {
                for await seq in stream { return seq }
                return nil
            }
            group.addTask {
                for _ in 0..<300 {
                    _ = try await writer.record(
                        workflow: nil, step: nil,
                        event: EventRecord(workflowID: "W1", kind: .stepProgress, message: ""))
                    try await Task.sleep(for: .milliseconds(100))
                }
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        let seq = try #require(heard)
        let stored = try await writer.events(workflowID: "W1", after: seq - 1, limit: 1)
        #expect(stored.first?.seq == seq)
    }
}

import Foundation
import Logging
import Store
import Testing

@testable import WorkflowEngine

/// Resuming cancelled runs, and one driver per run.
extension EngineTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case memory, sqlite

        var testDescription: String { rawValue }

        func store(folder: URL) throws -> any Store {
            switch self {
            case .memory: return makeStore()
            case .sqlite:
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                return try SQLiteStore(path: folder.appendingPathComponent("wf.sqlite").path, box: .ephemeral())
            }
        }
    }

    /// Returns once the engine's lease keeper has stored two heartbeats for run `id` (moving `clock` on between
    /// them), so at least one of its passes, which cancel the runs whose cancel is requested, has ended.
    static func awaitKeepAlivePass(_ store: any Store, _ clock: TestClock, id: String) async throws {
        for _ in 0..<2 {
            let mark = clock.now()
            while try await store.workflow(id: id)?.heartbeat != mark {
                try await Task.sleep(for: .milliseconds(1))
            }
            try await clock.sleep(for: .seconds(1))
        }
    }

    @Test(
        "a run cancelled mid-step, resumed, runs to the end: the old cancel request is cleared and stays cleared",
        arguments: Backend.allCases)
    func resumeAfterCancel(backend: Backend) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-engine-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try backend.store(folder: folder)
        try await store.upsertServer(ServerRecord(id: "S1", name: "one", status: "new"))
        let clock = TestClock()
        let tally = Tally()
        let (started, signal) = AsyncStream.makeStream(of: Void.self)
        let definition = WorkflowDefinition(
            name: "long", version: 1, summary: "",
            steps: [
                StepDefinition("work", idempotent: true) { context in
                    await tally.ran("work")
                    if context.attempt == 1 {
                        signal.yield()
                        try await Task.sleep(for: .seconds(3600))
                    } else {
                        // The resumed attempt outlives a pass of the lease keeper, which cancelled it before.
                        try await Self.awaitKeepAlivePass(store, clock, id: context.workflowID)
                    }
                    return .done(output: "{}")
                },
                StepDefinition("after", idempotent: true) { _ in
                    await tally.ran("after")
                    return .done(output: "{}")
                },
            ])
        let engine = Engine(
            repository: store, definitions: [definition], clock: clock, owner: "test:1",
            heartbeatInterval: .milliseconds(5), jitter: { 1.0 }, logger: Logger(label: "test"))
        let created = try await engine.create(definition: "long", serverID: "S1", input: [:])
        async let first = engine.run([created.id])
        var iterator = started.makeAsyncIterator()
        _ = await iterator.next()
        try await engine.cancel(created.id)
        #expect(await first.first?.state == .cancelled)
        #expect(try await store.workflow(id: created.id)?.cancelRequested == true)

        let reopened = try await engine.reopen(created.id)
        #expect(reopened.state == .pending)
        #expect(try await store.workflow(id: created.id)?.cancelRequested == false)
        let result = try #require(await engine.run([created.id]).first)
        #expect(result.state == .succeeded, "\(result.reason ?? "")")
        #expect(try await store.workflow(id: created.id)?.cancelRequested == false)
        #expect(try await store.steps(workflowID: created.id).map(\.state) == [.succeeded, .succeeded])
        #expect(await tally.runs == ["work": 2, "after": 1])
        let kinds = try await store.events(workflowID: created.id, after: 0, limit: 100).map(\.kind)
        #expect(kinds.filter { $0 == .workflowCancelled }.count == 1)
        #expect(kinds.last == .workflowSucceeded)
    }

    @Test("one driver per run: a run driven here is not resumable, a second start is a no-op, resume names the owner")
    func oneDriverPerRun() async throws {
        let store = makeStore()
        let tally = Tally()
        let (entered, signal) = AsyncStream.makeStream(of: Void.self)
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let definition = WorkflowDefinition(
            name: "gated", version: 1, summary: "",
            steps: [
                StepDefinition("work", idempotent: false, mutating: true) { _ in
                    await tally.ran("work")
                    signal.yield()
                    for await _ in gate { break }
                    return .done(output: "{}")
                }
            ])
        let engine = makeEngine(store, [definition])
        let created = try await engine.create(definition: "gated", serverID: "S1", input: [:])
        async let first = engine.run([created.id])
        var iterator = entered.makeAsyncIterator()
        _ = await iterator.next()

        #expect(engine.isDriving(created.id))
        #expect(try await engine.resumable().isEmpty)
        let stored = try #require(try await store.workflow(id: created.id))
        #expect(stored.state == .running && stored.owner == "test:1")
        do {
            try await engine.checkNotDriven(stored)
            Issue.record("a run this engine drives was found resumable")
        } catch let busy as WorkflowBusy {
            #expect(busy.description == "workflow \(created.id) is running under test:1; cancel it first or wait")
        }
        // A second start of the same run returns its current record and drives nothing.
        let second = await engine.run([created.id, created.id])
        #expect(second.map(\.state) == [.running, .running])
        #expect(await tally.runs == ["work": 1])

        open.yield()
        open.finish()
        #expect(await first.first?.state == .succeeded)
        #expect(await tally.runs == ["work": 1])
        #expect(!engine.isDriving(created.id))
        #expect(try await store.steps(workflowID: created.id).first?.attempt == 1)
    }
}

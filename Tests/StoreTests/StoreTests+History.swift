import Foundation
import Testing
import WorkflowEngine

@testable import Store

/// History at scale: listings paged and counted by the store, progress events of finished runs pruned.
extension StoreTests {
    /// Stores run `id` of `definition` on `server` in `state`, created at `created` (seconds after 2026-01-01),
    /// last updated `updated` seconds after that, with a created, a started, `progress` progress events and (for a
    /// finished run) its closing event.
    private static func add(
        _ store: any Store, _ id: String, definition: String = "commission", server: String = "S1",
        batch: String? = nil, state: RunState = .succeeded, created: Double, updated: Double = 60, progress: Int = 2
    ) async throws {
        let start = Date(timeIntervalSince1970: 1_767_225_600 + created)
        var run = WorkflowRecord(
            id: id, definition: definition, version: 1, serverID: server, batch: batch, created: start)
        run.updated = start
        _ = try await store.createWorkflow(
            run, steps: [StepRecord(workflowID: id, index: 0, name: "a")],
            event: EventRecord(workflowID: id, kind: .workflowCreated, message: "", at: start))
        run.state = state
        run.updated = start.addingTimeInterval(updated)
        _ = try await store.record(
            workflow: run, step: nil, event: EventRecord(workflowID: id, step: "a", kind: .stepStarted, message: ""))
        for index in 0..<progress {
            _ = try await store.record(
                workflow: nil, step: nil,
                event: EventRecord(
                    workflowID: id, step: "a", kind: .stepProgress, percent: Double(index * 10), message: "p\(index)"))
        }
        let closing: EventKind? =
            switch state {
            case .succeeded: .workflowSucceeded
            case .failed: .stepFailed
            case .cancelled: .workflowCancelled
            case .waiting: .workflowWaiting
            case .pending, .running: nil
            }
        if let closing {
            _ = try await store.record(
                workflow: nil, step: nil, event: EventRecord(workflowID: id, kind: closing, message: ""))
        }
    }

    @Test(
        "listings page in the store: offset and limit newest first, the count of the same filter, by definition",
        arguments: Backend.available)
    func pagedListings(backend: Backend) async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await Self.make(backend, folder: folder)
        // W01 … W12, one a minute: even ones are firmware runs on S2 in batch B, every third failed.
        for index in 1...12 {
            try await Self.add(
                store, String(format: "W%02d", index), definition: index % 2 == 0 ? "firmware" : "commission",
                server: index % 2 == 0 ? "S2" : "S1", batch: index % 2 == 0 ? "B" : nil,
                state: index % 3 == 0 ? .failed : .succeeded, created: Double(index * 60), progress: 0)
        }
        let newestFirst = (1...12).reversed().map { String(format: "W%02d", $0) }
        #expect(try await store.workflows(WorkflowFilter(limit: 5)).map(\.id) == Array(newestFirst[0..<5]))
        #expect(try await store.workflows(WorkflowFilter(limit: 5, offset: 5)).map(\.id) == Array(newestFirst[5..<10]))
        #expect(try await store.workflows(WorkflowFilter(limit: 5, offset: 10)).map(\.id) == ["W02", "W01"])
        #expect(try await store.workflows(WorkflowFilter(limit: 5, offset: 12)).isEmpty)
        #expect(try await store.countWorkflows(WorkflowFilter(limit: 1, offset: 3)) == 12)

        let firmware = WorkflowFilter(definition: "firmware", limit: 2, offset: 1)
        #expect(try await store.workflows(firmware).map(\.id) == ["W10", "W08"])
        #expect(try await store.countWorkflows(firmware) == 6)
        let failedFirmware = WorkflowFilter(states: [.failed], definition: "firmware")
        #expect(try await store.workflows(failedFirmware).map(\.id) == ["W12", "W06"])
        #expect(try await store.countWorkflows(failedFirmware) == 2)
        #expect(try await store.countWorkflows(WorkflowFilter(batch: "B", serverID: "S2")) == 6)
        #expect(try await store.countWorkflows(WorkflowFilter(serverID: "S1", definition: "firmware")) == 0)
        #expect(try await store.countWorkflows(WorkflowFilter(states: [.running])) == 0)
        #expect(try await store.workflowCountsByState() == [.succeeded: 8, .failed: 4])
    }

    @Test(
        "pruning deletes only progress events of runs finished before the cutoff; never others, never unfinished runs",
        arguments: Backend.available)
    func pruneEvents(backend: Backend) async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await Self.make(backend, folder: folder)
        // Finished an hour in (old), finished a day in (recent), and old runs that have not finished.
        try await Self.add(store, "old-ok", state: .succeeded, created: 0, updated: 3_600, progress: 3)
        try await Self.add(store, "old-failed", state: .failed, created: 10, updated: 3_600, progress: 2)
        try await Self.add(store, "old-cancelled", state: .cancelled, created: 20, updated: 3_600, progress: 1)
        try await Self.add(store, "recent-ok", state: .succeeded, created: 30, updated: 86_400, progress: 2)
        try await Self.add(store, "old-waiting", state: .waiting, created: 40, updated: 3_600, progress: 2)
        try await Self.add(store, "old-running", state: .running, created: 50, updated: 3_600, progress: 2)
        try await store.audit(AuditEntry(actor: "tester", action: "workflow.start", target: "old-ok"))
        let latest = try await store.latestEventSeq()
        #expect(latest == Int64(try await store.events(workflowID: nil, after: 0, limit: 1000).count))

        let cutoff = Date(timeIntervalSince1970: 1_767_225_600 + 7_200)
        #expect(try await store.pruneEvents(finishedBefore: cutoff) == 6)
        for id in ["old-ok", "old-failed", "old-cancelled"] {
            let kinds = try await store.events(workflowID: id, after: 0, limit: 100).map(\.kind)
            #expect(!kinds.contains(.stepProgress), "\(id): \(kinds)")
            #expect(kinds.first == .workflowCreated && kinds.contains(.stepStarted) && kinds.count == 3, "\(id)")
        }
        for (id, progress) in [("recent-ok", 2), ("old-waiting", 2), ("old-running", 2)] {
            let kinds = try await store.events(workflowID: id, after: 0, limit: 100).map(\.kind)
            #expect(kinds.count { $0 == .stepProgress } == progress, "\(id): \(kinds)")
        }
        #expect(try await store.auditLog(limit: 10).map(\.target) == ["old-ok"])
        // Nothing more is due: a second pass deletes nothing; the sequence numbers go on from where they were.
        #expect(try await store.pruneEvents(finishedBefore: cutoff) == 0)
        let next = try await store.record(
            workflow: nil, step: nil, event: EventRecord(workflowID: "old-running", kind: .stepProgress, message: ""))
        #expect(try #require(next.seq) > latest)
        #expect(try await store.latestEventSeq() == next.seq)
        // Reading after a sequence number still works across the gaps.
        let all = try await store.events(workflowID: nil, after: 0, limit: 1000)
        #expect(all.map { $0.seq ?? 0 } == all.map { $0.seq ?? 0 }.sorted())
        let tail = try await store.events(workflowID: nil, after: all[all.count - 3].seq ?? 0, limit: 10)
        #expect(tail.map(\.seq) == all.suffix(2).map(\.seq))
        // A later cutoff takes the recent run's too.
        let later = Date(timeIntervalSince1970: 1_767_225_600 + 200_000)
        #expect(try await store.pruneEvents(finishedBefore: later) == 2)
    }

    @Test("a synthetic history is written in bulk and read back as the API reads it", arguments: [Backend.sqlite])
    func syntheticHistory(backend: Backend) async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try #require(try await Self.make(backend, folder: folder) as? any SyntheticHistoryWriting)
        try await Self.checkSyntheticHistory(store)
    }

    @Test("a synthetic history is written in bulk in PostgreSQL", .enabled(if: Backend.available.contains(.postgres)))
    func syntheticHistoryPostgres() async throws {
        let store = try await PostgresScratch.store(box: .ephemeral())
        try await Self.checkSyntheticHistory(store)
    }

    private static func checkSyntheticHistory(_ store: any SyntheticHistoryWriting) async throws {
        let history = SyntheticHistory(runs: 300, events: 3_000, servers: 7, now: Date(timeIntervalSince1970: 2e9))
        try await store.write(history)
        #expect(try await store.countWorkflows(WorkflowFilter()) == 300)
        #expect(try await store.latestEventSeq() == 3_000)
        let counts = try await store.workflowCountsByState()
        #expect(counts[.running] == 3 && counts[.pending] == 3 && counts[.waiting] == 3)
        #expect(counts[.failed] == 15 && counts[.cancelled] == 3 && counts[.succeeded] == 273)
        let newest = try #require(try await store.workflows(WorkflowFilter(limit: 1)).first)
        #expect(newest.id == SyntheticHistory.runID(300) && newest.state == .running)
        #expect(newest.serverID == SyntheticHistory.serverID(300 % 7))
        #expect(newest.created == Date(timeIntervalSince1970: Double(history.created(300))))
        #expect(
            try await store.steps(workflowID: newest.id).map(\.state) == [
                .succeeded, .succeeded, .succeeded, .running, .pending, .pending,
            ])
        let failed = SyntheticHistory.runID(103)
        let events = try await store.events(workflowID: failed, after: 0, limit: 100)
        #expect(events.count == 10 && events.first?.kind == .workflowCreated && events.last?.kind == .stepFailed)
        #expect(try await store.workflow(id: failed)?.state == .failed)
        #expect(try await store.countWorkflows(WorkflowFilter(serverID: SyntheticHistory.serverID(3))) == 43)
    }
}

import Foundation
import Logging
import Store
import Testing

@testable import WorkflowEngine

/// Fenced leases: a driver that lost its run to another worker stops before its next step, writing nothing more.
extension EngineTests {
    @Test(
        "lease lost mid-step: the old driver's next write is refused, no further step, the new owner's state kept",
        arguments: Backend.allCases)
    func leaseLostMidStep(backend: Backend) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-lease-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try backend.store(folder: folder)
        let tally = Tally()
        let (started, startedSignal) = AsyncStream.makeStream(of: Void.self)
        let (release, releaseSignal) = AsyncStream.makeStream(of: Void.self)
        let definition = WorkflowDefinition(
            name: "fenced", version: 1, summary: "",
            steps: [
                StepDefinition("first", idempotent: true) { _ in
                    await tally.ran("first")
                    startedSignal.yield()
                    var gate = release.makeAsyncIterator()
                    _ = await gate.next()
                    return .done(output: "{}")
                },
                StepDefinition("second", idempotent: true) { _ in
                    await tally.ran("second")
                    return .done(output: "{}")
                },
            ])
        let engine = makeEngine(store, [definition], owner: "a:1")
        let created = try await engine.create(definition: "fenced", serverID: "S1", input: [:])
        async let results = engine.run([created.id])
        var startedIterator = started.makeAsyncIterator()
        _ = await startedIterator.next()

        // Another worker takes the run over (as after the lease expired) and records its own attempt of "first".
        let held = try #require(try await store.workflow(id: created.id))
        #expect(held.owner == "a:1")
        let taken = try #require(
            try await store.claimWorkflow(id: created.id, owner: "b:2", replacing: "a:1", staleBefore: .distantPast))
        #expect(taken.leaseEpoch == held.leaseEpoch + 1)
        let leaseB = WorkflowLease(owner: "b:2", epoch: taken.leaseEpoch)
        _ = try await store.record(
            workflow: taken,
            step: StepRecord(workflowID: created.id, index: 0, name: "first", state: .running, attempt: 2),
            event: EventRecord(workflowID: created.id, step: "first", kind: .stepStarted, message: "b's attempt"),
            lease: leaseB)
        let takenOver = try #require(try await store.workflow(id: created.id))
        let eventsAtTakeover = try await store.events(workflowID: created.id, after: 0, limit: 100)

        // The first driver's step ends: its .stepSucceeded is refused and it stops.
        releaseSignal.yield()
        let result = try #require(await results.first)
        #expect(result.owner == "b:2")
        #expect(result.leaseEpoch == taken.leaseEpoch)
        #expect(await tally.runs["second"] == nil)
        #expect(await tally.runs["first"] == 1)
        #expect(try await store.workflow(id: created.id) == takenOver)
        #expect(
            try await store.steps(workflowID: created.id).map { "\($0.name):\($0.state):\($0.attempt)" } == [
                "first:running:2", "second:pending:0",
            ])
        #expect(try await store.events(workflowID: created.id, after: 0, limit: 100) == eventsAtTakeover)
        // The new owner's writes still go through.
        _ = try await store.record(
            workflow: nil, step: nil,
            event: EventRecord(workflowID: created.id, step: "first", kind: .stepProgress, message: "b goes on"),
            lease: leaseB)
    }

    @Test("LeaseLost names the run, the lease the driver held and the stored owner")
    func leaseLostMessage() {
        let lost = LeaseLost(
            WorkflowLeaseConflict(
                workflowID: "W1", expected: WorkflowLease(owner: "a:1", epoch: 3), storedOwner: "b:2", storedEpoch: 4))
        #expect(lost.workflowID == "W1")
        #expect(lost.expectedOwner == "a:1")
        #expect(lost.expectedEpoch == 3)
        #expect(lost.storedOwner == "b:2")
        #expect(lost.description.contains("W1") && lost.description.contains("a:1 epoch 3"))
        #expect(lost.description.contains("b:2 epoch 4"))
    }
}

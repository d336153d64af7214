import Foundation
import Testing
import WorkflowEngine

@testable import Store

/// Fenced leases: claims raise the epoch, a driver's writes count only under its own lease, heartbeats never go back.
extension StoreTests {
    @Test(
        "fenced writes: each claim raises the epoch; a stale lease's write is refused whole, naming the stored owner",
        arguments: Backend.available)
    func fencedWrites(backend: Backend) async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await Self.make(backend, folder: folder)
        let id = "W-lease-\(UUID().uuidString.prefix(8))"
        _ = try await store.createWorkflow(
            WorkflowRecord(id: id, definition: "d", version: 1, serverID: "S1"),
            steps: [StepRecord(workflowID: id, index: 0, name: "a")],
            event: EventRecord(workflowID: id, kind: .workflowCreated, message: ""))
        #expect(try await store.workflow(id: id)?.leaseEpoch == 0)
        let first = try #require(
            try await store.claimWorkflow(id: id, owner: "a:1", replacing: nil, staleBefore: .distantPast))
        #expect(first.leaseEpoch == 1)
        let leaseA = WorkflowLease(owner: "a:1", epoch: first.leaseEpoch)
        var running = first
        running.state = .running
        _ = try await store.record(
            workflow: running, step: StepRecord(workflowID: id, index: 0, name: "a", state: .running, attempt: 1),
            event: EventRecord(workflowID: id, step: "a", kind: .stepStarted, message: ""), lease: leaseA)

        // Another worker takes the run over (a's owner gone): epoch 2, and b's writes go through.
        let second = try #require(
            try await store.claimWorkflow(id: id, owner: "b:2", replacing: "a:1", staleBefore: .distantPast))
        #expect(second.leaseEpoch == 2)
        let before = try await store.events(workflowID: id, after: 0, limit: 100)

        // a's next write (its step finished) is refused, and none of it is stored.
        var finished = running
        finished.state = .succeeded
        finished.owner = nil
        let refused = await #expect(throws: StoreError.self) {
            _ = try await store.record(
                workflow: finished,
                step: StepRecord(workflowID: id, index: 0, name: "a", state: .succeeded, attempt: 1),
                event: EventRecord(workflowID: id, step: "a", kind: .stepSucceeded, message: ""), lease: leaseA)
        }
        #expect(
            refused?.leaseConflict
                == WorkflowLeaseConflict(workflowID: id, expected: leaseA, storedOwner: "b:2", storedEpoch: 2))
        #expect(refused?.message.contains("b:2") == true)
        let stored = try await store.workflow(id: id)
        #expect(stored?.owner == "b:2")
        #expect(stored?.leaseEpoch == 2)
        #expect(stored?.state == .running)
        #expect(try await store.steps(workflowID: id).map(\.state) == [.running])
        #expect(try await store.events(workflowID: id, after: 0, limit: 100) == before)

        // The same owner claiming again still gets a new epoch, which fences out its own older driver.
        let third = try #require(
            try await store.claimWorkflow(id: id, owner: "b:2", replacing: nil, staleBefore: .distantPast))
        #expect(third.leaseEpoch == 3)
        await #expect(throws: StoreError.self) {
            _ = try await store.record(
                workflow: nil, step: nil, event: EventRecord(workflowID: id, kind: .stepProgress, message: ""),
                lease: WorkflowLease(owner: "b:2", epoch: 2))
        }
        _ = try await store.record(
            workflow: nil, step: nil, event: EventRecord(workflowID: id, kind: .stepProgress, message: ""),
            lease: WorkflowLease(owner: "b:2", epoch: 3))
    }

    @Test(
        "heartbeats never go back: a transition carrying an older heartbeat keeps the stored one",
        arguments: Backend.available)
    func heartbeatNotRegressed(backend: Backend) async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await Self.make(backend, folder: folder)
        let id = "W-beat-\(UUID().uuidString.prefix(8))"
        _ = try await store.createWorkflow(
            WorkflowRecord(id: id, definition: "d", version: 1, serverID: "S1"),
            steps: [StepRecord(workflowID: id, index: 0, name: "a")],
            event: EventRecord(workflowID: id, kind: .workflowCreated, message: ""))
        let claimed = try #require(
            try await store.claimWorkflow(id: id, owner: "a:1", replacing: nil, staleBefore: .distantPast))
        let claimedAt = try #require(claimed.heartbeat)
        // The lease keeper shows the owner alive well after the claim.
        let later = claimedAt.addingTimeInterval(3600)
        try await store.heartbeat(owner: "a:1", at: later)
        #expect(try await store.workflow(id: id)?.heartbeat.map { abs($0.timeIntervalSince(later)) < 0.002 } == true)
        // The driver's in-memory copy still carries the claim's heartbeat; its transition must not bring it back.
        var running = claimed
        running.state = .running
        _ = try await store.record(
            workflow: running, step: StepRecord(workflowID: id, index: 0, name: "a", state: .running, attempt: 1),
            event: EventRecord(workflowID: id, step: "a", kind: .stepStarted, message: ""),
            lease: WorkflowLease(owner: "a:1", epoch: claimed.leaseEpoch))
        #expect(try await store.workflow(id: id)?.heartbeat.map { abs($0.timeIntervalSince(later)) < 0.002 } == true)
        // Nor does an older heartbeat from the keeper.
        try await store.heartbeat(owner: "a:1", at: claimedAt)
        #expect(try await store.workflow(id: id)?.heartbeat.map { abs($0.timeIntervalSince(later)) < 0.002 } == true)
        // So the run is not stale to a worker whose lease rule looks back less than an hour.
        #expect(
            try await store.claimWorkflow(
                id: id, owner: "b:2", replacing: nil, staleBefore: later.addingTimeInterval(-60)) == nil)
    }
}

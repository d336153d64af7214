import Foundation

/// Where the engine keeps runs, steps, events and leases: the SQLite, PostgreSQL and in-memory stores implement it.
/// Every method is one transaction; a write that a lease fences is refused, with an error adopting
/// `WorkflowLeaseConflictReporting`, when the run is no longer held under that lease.
public protocol WorkflowRepository: BMCLockRepository {
    /// Creates a workflow, its steps and its first event in one transaction; returns the event with its `seq`.
    func createWorkflow(_ workflow: WorkflowRecord, steps: [StepRecord], event: EventRecord) async throws
        -> EventRecord
    /// Saves a workflow's and/or a step's new state together with the event that says so, in one transaction;
    /// returns the event with its `seq`. A crash leaves either all of it or none. A stored cancel request
    /// (`requestCancel`) survives the write, except when it reopens a stopped run (waiting, failed or cancelled to
    /// pending): that clears the request. The stored heartbeat never goes back: the newer of the stored one and
    /// `workflow`'s is kept. With a `lease` (a driver's write) nothing is written unless the run's stored owner and
    /// lease epoch are the lease's, checked in the same transaction; otherwise it throws an error whose
    /// `leaseConflict` names the stored owner.
    func record(workflow: WorkflowRecord?, step: StepRecord?, event: EventRecord, lease: WorkflowLease?)
        async throws -> EventRecord
    /// One workflow.
    func workflow(id: String) async throws -> WorkflowRecord?
    /// Workflows matching `filter`, newest first (created, then id): `filter.limit` of them from `filter.offset`,
    /// paged by the store (never every matching row read to return one page).
    func workflows(_ filter: WorkflowFilter) async throws -> [WorkflowRecord]
    /// How many workflows match `filter` (its `limit` and `offset` ignored), counted by the store.
    func countWorkflows(_ filter: WorkflowFilter) async throws -> Int
    /// How many workflows are in each state (states with none are absent), counted by the store.
    func workflowCountsByState() async throws -> [RunState: Int]
    /// A workflow's steps, in order.
    func steps(workflowID: String) async throws -> [StepRecord]
    /// The steps of each of several workflows (in order; a workflow with none is absent), read together.
    func steps(workflowIDs: [String]) async throws -> [String: [StepRecord]]
    /// Events after `seq` (of one workflow, or all), oldest first, at most `limit`.
    func events(workflowID: String?, after seq: Int64, limit: Int) async throws -> [EventRecord]
    /// Makes `owner` the owner of workflow `id` when it has no owner, is already `owner`'s, is `expected`'s (an
    /// owner known to be gone), or its heartbeat is older than `staleBefore`; each claim adds one to its lease
    /// epoch; its heartbeat becomes `now` unless the stored one is newer. Returns the claimed record, or nil when
    /// another live owner holds it (or there is no such workflow).
    func claimWorkflow(id: String, owner: String, replacing expected: String?, staleBefore: Date, at now: Date)
        async throws -> WorkflowRecord?
    /// Marks every workflow `owner` holds as alive at `at` (a newer stored heartbeat is kept).
    func heartbeat(owner: String, at: Date) async throws
    /// Leases up to `limit` of the runs `ids` that are runnable (pending or running, and owned by nobody, by
    /// `owner`, by one of the `gone` owners, or by an owner whose heartbeat is older than `staleBefore`) to `owner`,
    /// oldest first, with heartbeat `now` (unless newer); a run another process is leasing at this very moment is
    /// skipped, not waited for.
    func leaseWorkflows(ids: [String], owner: String, gone: [String], staleBefore: Date, limit: Int, at now: Date)
        async throws -> [WorkflowRecord]
    /// Asks for a workflow to stop (its owner sees the flag); false when there is no such workflow.
    func requestCancel(id: String) async throws -> Bool
}

extension WorkflowRepository {
    /// One `steps(workflowID:)` per workflow: for stores where a read costs no round trip.
    public func steps(workflowIDs: [String]) async throws -> [String: [StepRecord]] {
        var steps: [String: [StepRecord]] = [:]
        for id in Set(workflowIDs) {
            let found = try await self.steps(workflowID: id)
            if !found.isEmpty { steps[id] = found }
        }
        return steps
    }

    /// Saves a workflow's and/or a step's new state with its event, unfenced (creation, an operator's reopen or
    /// cancel); see `record(workflow:step:event:lease:)`.
    public func record(workflow: WorkflowRecord?, step: StepRecord?, event: EventRecord) async throws -> EventRecord {
        try await record(workflow: workflow, step: step, event: event, lease: nil)
    }

    /// `claimWorkflow` at this moment by the system clock.
    public func claimWorkflow(id: String, owner: String, replacing expected: String?, staleBefore: Date)
        async throws -> WorkflowRecord?
    {
        try await claimWorkflow(id: id, owner: owner, replacing: expected, staleBefore: staleBefore, at: Date())
    }

    /// Leasing one run at a time with `claimWorkflow` (a compare-and-set): enough for one process's store.
    public func leaseWorkflows(
        ids: [String], owner: String, gone: [String], staleBefore: Date, limit: Int, at now: Date
    ) async throws -> [WorkflowRecord] {
        var leased: [WorkflowRecord] = []
        for id in ids where leased.count < limit {
            guard let stored = try await workflow(id: id), stored.state.isRunnable else { continue }
            let replacing = stored.owner.flatMap { gone.contains($0) ? $0 : nil }
            if let claimed = try await claimWorkflow(
                id: id, owner: owner, replacing: replacing, staleBefore: staleBefore, at: now)
            {
                leased.append(claimed)
            }
        }
        return leased
    }
}

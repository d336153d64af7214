import Foundation
import WorkflowEngine

extension InMemoryStore {
    /// The `Store` requirement of the same name.
    public func createWorkflow(_ workflow: WorkflowRecord, steps: [StepRecord], event: EventRecord)
        throws(StoreError) -> EventRecord
    {
        guard workflowRows[workflow.id] == nil else { throw StoreError("workflow \(workflow.id) already exists") }
        workflowRows[workflow.id] = workflow
        stepRows[workflow.id] = steps
        return append(event)
    }

    /// The `Store` requirement of the same name.
    public func record(workflow: WorkflowRecord?, step: StepRecord?, event: EventRecord, lease: WorkflowLease?)
        throws(StoreError) -> EventRecord
    {
        if let lease {
            let stored = workflowRows[event.workflowID]
            guard let stored, stored.owner == lease.owner, stored.leaseEpoch == lease.epoch else {
                throw WorkflowLeaseConflict(
                    workflowID: event.workflowID, expected: lease, storedOwner: stored?.owner,
                    storedEpoch: stored?.leaseEpoch
                ).error
            }
        }
        if var workflow {
            if let stored = workflowRows[workflow.id] {
                // A cancel request stored meanwhile survives the write, unless the write reopens a stopped run.
                if !Self.reopens(workflow, stored) {
                    workflow.cancelRequested = workflow.cancelRequested || stored.cancelRequested
                }
                // The epoch is the claims' to change; a heartbeat never goes back.
                workflow.leaseEpoch = stored.leaseEpoch
                workflow.heartbeat = Self.newer(stored.heartbeat, workflow.heartbeat)
            }
            workflowRows[workflow.id] = workflow
        }
        if let step {
            var steps = stepRows[step.workflowID] ?? []
            if let at = steps.firstIndex(where: { $0.index == step.index }) {
                steps[at] = step
            } else {
                steps.append(step)
                steps.sort { $0.index < $1.index }
            }
            stepRows[step.workflowID] = steps
        }
        return append(event)
    }

    /// Whether writing `workflow` over `stored` reopens a stopped run (waiting, failed or cancelled to pending).
    static func reopens(_ workflow: WorkflowRecord, _ stored: WorkflowRecord) -> Bool {
        workflow.state == .pending && stored.state.isReopenable
    }

    static func newer(_ a: Date?, _ b: Date?) -> Date? {
        guard let a, let b else { return a ?? b }
        return max(a, b)
    }

    private func append(_ event: EventRecord) -> EventRecord {
        var stored = event
        stored.seq = Int64(eventRows.count + 1)
        eventRows.append(stored)
        return stored
    }

    /// The `Store` requirement of the same name.
    public func workflow(id: String) throws(StoreError) -> WorkflowRecord? { workflowRows[id] }

    /// The `Store` requirement of the same name.
    public func workflows(_ filter: WorkflowFilter) throws(StoreError) -> [WorkflowRecord] {
        let matching = workflowRows.values.filter {
            (filter.states.isEmpty || filter.states.contains($0.state))
                && (filter.batch == nil || $0.batch == filter.batch)
                && (filter.serverID == nil || $0.serverID == filter.serverID)
        }
        return Array(
            matching.sorted { ($0.created, $1.id) > ($1.created, $0.id) }.prefix(filter.limit))
    }

    /// The `Store` requirement of the same name.
    public func steps(workflowID: String) throws(StoreError) -> [StepRecord] { stepRows[workflowID] ?? [] }

    /// The `Store` requirement of the same name.
    public func events(workflowID: String?, after seq: Int64, limit: Int) throws(StoreError) -> [EventRecord] {
        let start = Int(max(0, seq))
        guard start < eventRows.count else { return [] }
        return Array(
            eventRows[start...].lazy.filter { workflowID == nil || $0.workflowID == workflowID }.prefix(limit))
    }

    /// The `Store` requirement of the same name.
    public func claimWorkflow(id: String, owner: String, replacing expected: String?, staleBefore: Date, at now: Date)
        throws(StoreError) -> WorkflowRecord?
    {
        guard var workflow = workflowRows[id] else { return nil }
        let free =
            workflow.owner == nil || workflow.owner == owner || workflow.owner == expected
            || (workflow.heartbeat ?? .distantPast) < staleBefore
        guard free else { return nil }
        workflow.owner = owner
        workflow.heartbeat = Self.newer(workflow.heartbeat, now)
        workflow.leaseEpoch += 1
        workflowRows[id] = workflow
        return workflow
    }

    /// The `Store` requirement of the same name.
    public func heartbeat(owner: String, at: Date) throws(StoreError) {
        for (id, workflow) in workflowRows where workflow.owner == owner {
            workflowRows[id]?.heartbeat = Self.newer(workflow.heartbeat, at)
        }
    }

    /// The `Store` requirement of the same name.
    public func requestCancel(id: String) throws(StoreError) -> Bool {
        guard workflowRows[id] != nil else { return false }
        workflowRows[id]?.cancelRequested = true
        return true
    }
}

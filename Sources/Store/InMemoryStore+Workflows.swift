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
        lastEventSeq += 1
        stored.seq = lastEventSeq
        eventRows.append(stored)
        return stored
    }

    /// The `Store` requirement of the same name.
    public func workflow(id: String) throws(StoreError) -> WorkflowRecord? { workflowRows[id] }

    /// Whether `workflow` passes `filter` (its limit and offset aside).
    private static func matches(_ workflow: WorkflowRecord, _ filter: WorkflowFilter) -> Bool {
        (filter.states.isEmpty || filter.states.contains(workflow.state))
            && (filter.batch == nil || workflow.batch == filter.batch)
            && (filter.serverID == nil || workflow.serverID == filter.serverID)
            && (filter.definition == nil || workflow.definition == filter.definition)
    }

    /// The `Store` requirement of the same name.
    public func workflows(_ filter: WorkflowFilter) throws(StoreError) -> [WorkflowRecord] {
        let matching = workflowRows.values.filter { Self.matches($0, filter) }
        return Array(
            matching.sorted { ($0.created, $1.id) > ($1.created, $0.id) }.dropFirst(max(0, filter.offset))
                .prefix(max(0, filter.limit)))
    }

    /// The `Store` requirement of the same name.
    public func countWorkflows(_ filter: WorkflowFilter) throws(StoreError) -> Int {
        workflowRows.values.count { Self.matches($0, filter) }
    }

    /// The `Store` requirement of the same name.
    public func workflowCountsByState() throws(StoreError) -> [RunState: Int] {
        var counts: [RunState: Int] = [:]
        for workflow in workflowRows.values { counts[workflow.state, default: 0] += 1 }
        return counts
    }

    /// The `Store` requirement of the same name.
    public func steps(workflowID: String) throws(StoreError) -> [StepRecord] { stepRows[workflowID] ?? [] }

    /// The `Store` requirement of the same name.
    public func events(workflowID: String?, after seq: Int64, limit: Int) throws(StoreError) -> [EventRecord] {
        // The rows are in sequence order: find the first after `seq` by bisection.
        var low = 0
        var high = eventRows.count
        while low < high {
            let middle = (low + high) / 2
            if (eventRows[middle].seq ?? 0) <= seq { low = middle + 1 } else { high = middle }
        }
        guard low < eventRows.count else { return [] }
        return Array(
            eventRows[low...].lazy.filter { workflowID == nil || $0.workflowID == workflowID }.prefix(limit))
    }

    /// The `Store` requirement of the same name.
    public func pruneEvents(finishedBefore: Date) throws(StoreError) -> Int {
        let before = eventRows.count
        eventRows.removeAll { event in
            guard event.kind == .stepProgress, let run = workflowRows[event.workflowID] else { return false }
            return run.state.isTerminal && run.updated < finishedBefore
        }
        return before - eventRows.count
    }

    /// The `Store` requirement of the same name.
    public func latestEventSeq() throws(StoreError) -> Int64 { eventRows.last?.seq ?? 0 }

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

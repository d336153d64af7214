import Foundation
import Logging

/// Where HWAutomation keeps what it knows: a protocol with SQLite (`SQLiteStore`) and in-memory
/// (`InMemoryStore`) backends; PostgreSQL joins them with the scale-out work.
///
/// Secrets are encrypted before they reach any backend (`SecretBox`); listing never returns them.
public protocol Store: Sendable {
    /// Adds or replaces a server.
    func upsertServer(_ server: ServerRecord) async throws(StoreError)
    /// One server.
    func server(id: String) async throws(StoreError) -> ServerRecord?
    /// Every server, by id.
    func servers() async throws(StoreError) -> [ServerRecord]
    /// Removes a server; false when there was none.
    func deleteServer(id: String) async throws(StoreError) -> Bool

    /// Stores (or replaces) a credential with where it may be sent; the secret is encrypted at rest, sealed
    /// together with its bindings.
    func putCredential(name: String, user: String?, secret: String, kind: String, scope: CredentialScope)
        async throws(StoreError)
    /// Replaces the bindings of credential `name` (its secret kept); false when there is no such credential.
    func bindCredential(name: String, scope: CredentialScope) async throws(StoreError) -> Bool
    /// A credential, decrypted, with its bindings (check them with `Credential.check` before sending it).
    func credential(name: String) async throws(StoreError) -> Credential?
    /// Every credential, without secrets.
    func credentials() async throws(StoreError) -> [CredentialSummary]
    /// Removes a credential; false when there was none.
    func deleteCredential(name: String) async throws(StoreError) -> Bool

    /// Defines (or redefines) an address pool from ranges (`10.0.0.10-10.0.0.50`, `10.0.1.0/28`) less exclusions.
    func definePool(name: String, ranges: [String], exclusions: [String]) async throws(StoreError)
    /// The address of `serverID` in `pool`: its existing one, or the lowest free one. Never two servers one address.
    func assign(pool: String, serverID: String) async throws(StoreError) -> String
    /// Gives a server's address back; false when it had none.
    func release(pool: String, serverID: String) async throws(StoreError) -> Bool
    /// The pool's assignments, by address.
    func assignments(pool: String) async throws(StoreError) -> [PoolAssignment]

    /// Saves a BIOS backup; returns it with its id.
    func saveBIOSBackup(_ backup: BIOSBackupRecord) async throws(StoreError) -> BIOSBackupRecord
    /// One backup.
    func biosBackup(id: Int64) async throws(StoreError) -> BIOSBackupRecord?
    /// Backups of a BMC, newest first.
    func biosBackups(bmc: String) async throws(StoreError) -> [BIOSBackupRecord]

    /// Records who did what.
    func audit(_ entry: AuditEntry) async throws(StoreError)
    /// The newest `limit` audit entries, newest first.
    func auditLog(limit: Int) async throws(StoreError) -> [AuditEntry]

    /// Creates a workflow, its steps and its first event in one transaction; returns the event with its `seq`.
    func createWorkflow(_ workflow: WorkflowRecord, steps: [StepRecord], event: EventRecord) async throws(StoreError)
        -> EventRecord
    /// Saves a workflow's and/or a step's new state together with the event that says so, in one transaction;
    /// returns the event with its `seq`. A crash leaves either all of it or none. A stored cancel request
    /// (`requestCancel`) survives the write, except when it reopens a stopped run (waiting, failed or cancelled to
    /// pending): that clears the request. The stored heartbeat never goes back: the newer of the stored one and
    /// `workflow`'s is kept. With a `lease` (a driver's write) nothing is written unless the run's stored owner and
    /// lease epoch are the lease's, checked in the same transaction; otherwise it throws a `StoreError` whose
    /// `leaseConflict` names the stored owner.
    func record(workflow: WorkflowRecord?, step: StepRecord?, event: EventRecord, lease: WorkflowLease?)
        async throws(StoreError) -> EventRecord
    /// One workflow.
    func workflow(id: String) async throws(StoreError) -> WorkflowRecord?
    /// Workflows matching `filter`, newest first.
    func workflows(_ filter: WorkflowFilter) async throws(StoreError) -> [WorkflowRecord]
    /// A workflow's steps, in order.
    func steps(workflowID: String) async throws(StoreError) -> [StepRecord]
    /// Events after `seq` (of one workflow, or all), oldest first, at most `limit`.
    func events(workflowID: String?, after seq: Int64, limit: Int) async throws(StoreError) -> [EventRecord]
    /// Makes `owner` the owner of workflow `id` when it has no owner, is already `owner`'s, is `expected`'s (an
    /// owner known to be gone), or its heartbeat is older than `staleBefore`; each claim adds one to its lease
    /// epoch; its heartbeat becomes `now` unless the stored one is newer. Returns the claimed record, or nil when
    /// another live owner holds it (or there is no such workflow).
    func claimWorkflow(id: String, owner: String, replacing expected: String?, staleBefore: Date, at now: Date)
        async throws(StoreError) -> WorkflowRecord?
    /// Marks every workflow `owner` holds as alive at `at` (a newer stored heartbeat is kept).
    func heartbeat(owner: String, at: Date) async throws(StoreError)
    /// Leases up to `limit` of the runs `ids` that are runnable (pending or running, and owned by nobody, by
    /// `owner`, by one of the `gone` owners, or by an owner whose heartbeat is older than `staleBefore`) to `owner`,
    /// oldest first, with heartbeat `now` (unless newer); a run another process is leasing at this very moment is
    /// skipped, not waited for.
    func leaseWorkflows(ids: [String], owner: String, gone: [String], staleBefore: Date, limit: Int, at now: Date)
        async throws(StoreError) -> [WorkflowRecord]
    /// Sequence numbers of events as any process stores them, for live views across processes (PostgreSQL's
    /// LISTEN/NOTIFY); nil when the store has no such channel (then only this process's engine tells).
    func eventNotifications(logger: Logger) -> AsyncStream<Int64>?
    /// Stores a new API token (its digest); a working token of the same name is an error.
    func createToken(_ token: APIToken) async throws(StoreError)
    /// The token whose secret has this digest (revoked ones included, so a refusal can say so).
    func token(digest: String) async throws(StoreError) -> APIToken?
    /// Every token, oldest first.
    func tokens() async throws(StoreError) -> [APIToken]
    /// Revokes the working token `name`; false when there is none.
    func revokeToken(name: String, at: Date) async throws(StoreError) -> Bool
    /// Records that the token `id` was presented at `at`.
    func touchToken(id: String, at: Date) async throws(StoreError)

    /// Asks for a workflow to stop (its owner sees the flag); false when there is no such workflow.
    func requestCancel(id: String) async throws(StoreError) -> Bool
}

extension Store {
    /// Stores (or replaces) an unbound credential: usable against any address, never over plain http.
    public func putCredential(name: String, user: String?, secret: String, kind: String) async throws(StoreError) {
        try await putCredential(name: name, user: user, secret: secret, kind: kind, scope: .unbound)
    }

    /// Saves a workflow's and/or a step's new state with its event, unfenced (creation, an operator's reopen or
    /// cancel); see `record(workflow:step:event:lease:)`.
    public func record(workflow: WorkflowRecord?, step: StepRecord?, event: EventRecord) async throws(StoreError)
        -> EventRecord
    {
        try await record(workflow: workflow, step: step, event: event, lease: nil)
    }

    /// No channel: SQLite and in-memory stores live in one process.
    public func eventNotifications(logger: Logger) -> AsyncStream<Int64>? { nil }

    /// `claimWorkflow` at this moment by the system clock.
    public func claimWorkflow(id: String, owner: String, replacing expected: String?, staleBefore: Date)
        async throws(StoreError) -> WorkflowRecord?
    {
        try await claimWorkflow(id: id, owner: owner, replacing: expected, staleBefore: staleBefore, at: Date())
    }

    /// Leasing one run at a time with `claimWorkflow` (a compare-and-set): enough for one process's store.
    public func leaseWorkflows(
        ids: [String], owner: String, gone: [String], staleBefore: Date, limit: Int, at now: Date
    ) async throws(StoreError) -> [WorkflowRecord] {
        var leased: [WorkflowRecord] = []
        for id in ids where leased.count < limit {
            guard let stored = try await workflow(id: id), ["pending", "running"].contains(stored.state) else {
                continue
            }
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

import Foundation
import Logging
import WorkflowEngine

/// Where HWAutomation keeps what it knows: a protocol with SQLite (`SQLiteStore`) and in-memory
/// (`InMemoryStore`) backends; PostgreSQL joins them with the scale-out work.
///
/// Secrets are encrypted before they reach any backend (`SecretBox`); listing never returns them.
public protocol Store: WorkflowRepository, DriftRepository {
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

    /// Deletes the progress events (`step.progress`) of runs that finished (succeeded, failed or cancelled) before
    /// `finishedBefore` (their last update); returns how many were deleted. Events of unfinished runs (pending,
    /// running, waiting), every other kind of event, and the audit log are never touched.
    func pruneEvents(finishedBefore: Date) async throws(StoreError) -> Int
    /// The sequence number of the newest stored event (0 when there is none).
    func latestEventSeq() async throws(StoreError) -> Int64

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
}

extension Store {
    /// Stores (or replaces) an unbound credential: usable against any address, never over plain http.
    public func putCredential(name: String, user: String?, secret: String, kind: String) async throws(StoreError) {
        try await putCredential(name: name, user: user, secret: secret, kind: kind, scope: .unbound)
    }

    /// No channel: SQLite and in-memory stores live in one process.
    public func eventNotifications(logger: Logger) -> AsyncStream<Int64>? { nil }
}

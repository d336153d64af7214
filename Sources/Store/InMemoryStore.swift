import Foundation
import WorkflowEngine

/// A store that lives as long as the process (unit tests, dry runs). Secrets are still sealed.
public actor InMemoryStore: Store {
    private let box: SecretBox
    var serverRows: [String: ServerRecord] = [:]
    private var secrets: [String: (user: String?, sealed: Data, kind: String, created: Date, scope: CredentialScope)] =
        [:]
    private var pools: [String: [UInt32]] = [:]
    private var taken: [String: [UInt32: (server: String, at: Date)]] = [:]
    private var backups: [BIOSBackupRecord] = []
    private var log: [AuditEntry] = []
    var workflowRows: [String: WorkflowRecord] = [:]
    var stepRows: [String: [StepRecord]] = [:]
    /// Events in sequence order (pruning leaves gaps in the sequence numbers).
    var eventRows: [EventRecord] = []
    /// The sequence number of the newest event ever appended (kept when pruning deletes it).
    var lastEventSeq: Int64 = 0
    var tokenRows: [APIToken] = []
    var bmcLockRows: [String: (lock: BMCLock?, token: Int)] = [:]
    var driftRows: [DriftRecord] = []

    /// An empty store sealing secrets with `box`.
    public init(box: SecretBox) {
        self.box = box
    }

    /// The `Store` requirement of the same name.
    public func upsertServer(_ server: ServerRecord) throws(StoreError) { serverRows[server.id] = server }
    /// The `Store` requirement of the same name.
    public func server(id: String) throws(StoreError) -> ServerRecord? { serverRows[id] }
    /// The `Store` requirement of the same name.
    public func servers() throws(StoreError) -> [ServerRecord] { serverRows.values.sorted { $0.id < $1.id } }
    /// The `Store` requirement of the same name.
    public func deleteServer(id: String) throws(StoreError) -> Bool { serverRows.removeValue(forKey: id) != nil }

    /// The `Store` requirement of the same name.
    public func putCredential(name: String, user: String?, secret: String, kind: String, scope: CredentialScope)
        throws(StoreError)
    {
        secrets[name] = (user, try box.seal(secret, credential: name, scope: scope), kind, Date(), scope)
    }

    /// The `Store` requirement of the same name.
    public func bindCredential(name: String, scope: CredentialScope) throws(StoreError) -> Bool {
        guard var row = secrets[name] else { return false }
        let opened = try box.open(row.sealed, credential: name, user: row.user, scope: row.scope)
        row.sealed = try box.seal(opened.secret, credential: name, scope: scope)
        row.scope = scope
        secrets[name] = row
        return true
    }

    /// The `Store` requirement of the same name.
    public func credential(name: String) throws(StoreError) -> Credential? {
        guard let row = secrets[name] else { return nil }
        return try box.open(row.sealed, credential: name, user: row.user, scope: row.scope)
    }

    /// The `Store` requirement of the same name.
    public func credentials() throws(StoreError) -> [CredentialSummary] {
        secrets.keys.sorted().map { name in
            let row = secrets[name]!
            return CredentialSummary(name: name, user: row.user, kind: row.kind, created: row.created, scope: row.scope)
        }
    }

    /// The `Store` requirement of the same name.
    public func deleteCredential(name: String) throws(StoreError) -> Bool { secrets.removeValue(forKey: name) != nil }

    /// The `Store` requirement of the same name.
    public func definePool(name: String, ranges: [String], exclusions: [String]) throws(StoreError) {
        pools[name] = try AddressRange.addresses(ranges: ranges, exclusions: exclusions)
    }

    /// The `Store` requirement of the same name.
    public func assign(pool: String, serverID: String) throws(StoreError) -> String {
        guard let addresses = pools[pool] else { throw StoreError("no address pool `\(pool)`") }
        var used = taken[pool] ?? [:]
        if let existing = used.first(where: { $0.value.server == serverID }) {
            return AddressRange.format(existing.key)
        }
        guard let free = addresses.first(where: { used[$0] == nil }) else {
            throw StoreError("address pool `\(pool)` is exhausted (\(addresses.count) addresses, all assigned)")
        }
        used[free] = (serverID, Date())
        taken[pool] = used
        return AddressRange.format(free)
    }

    /// The `Store` requirement of the same name.
    public func release(pool: String, serverID: String) throws(StoreError) -> Bool {
        guard let address = taken[pool]?.first(where: { $0.value.server == serverID })?.key else { return false }
        taken[pool]?[address] = nil
        return true
    }

    /// The `Store` requirement of the same name.
    public func assignments(pool: String) throws(StoreError) -> [PoolAssignment] {
        (taken[pool] ?? [:]).sorted { $0.key < $1.key }.map {
            PoolAssignment(
                pool: pool, address: AddressRange.format($0.key), serverID: $0.value.server, assignedAt: $0.value.at)
        }
    }

    /// The `Store` requirement of the same name.
    public func saveBIOSBackup(_ backup: BIOSBackupRecord) throws(StoreError) -> BIOSBackupRecord {
        var saved = backup
        saved.id = Int64(backups.count + 1)
        backups.append(saved)
        return saved
    }

    /// The `Store` requirement of the same name.
    public func biosBackup(id: Int64) throws(StoreError) -> BIOSBackupRecord? { backups.first { $0.id == id } }

    /// The `Store` requirement of the same name.
    public func biosBackups(bmc: String) throws(StoreError) -> [BIOSBackupRecord] {
        backups.filter { $0.bmc == bmc }.reversed()
    }

    /// The `Store` requirement of the same name.
    public func audit(_ entry: AuditEntry) throws(StoreError) { log.append(entry) }
    /// The `Store` requirement of the same name.
    public func auditLog(limit: Int) throws(StoreError) -> [AuditEntry] { Array(log.suffix(limit).reversed()) }
}

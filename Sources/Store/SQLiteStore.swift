import Foundation
import GRDB
import WorkflowEngine

/// The embedded store: one SQLite file (WAL), schema by versioned migrations applied on open.
public final class SQLiteStore: Store {
    let pool: DatabasePool
    let commits: GroupCommit
    private let box: SecretBox
    /// The file.
    public let path: String

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String, box: SecretBox) throws(StoreError) {
        self.path = path
        self.box = box
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            // WAL with synchronous=NORMAL: a commit survives the process being killed (the OS holds the data);
            // after power loss the newest commits may be missing but the file is consistent, and the engine
            // checks in-flight steps on resume. FULL would fsync every workflow transition.
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
            commits = GroupCommit(pool: pool, path: path)
        } catch {
            throw StoreError("\(path): cannot open the database: \(error)")
        }
    }

    /// The schema's history; each version is applied once, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: servers, credentials, pools, bios backups, audit") { db in
            try db.create(table: "server") { table in
                table.primaryKey("id", .text)
                table.column("name", .text).notNull()
                table.column("bmcAddress", .text)
                table.column("credential", .text)
                table.column("sshHost", .text)
                table.column("deviceType", .text)
                table.column("confidence", .text)
                table.column("status", .text).notNull()
                table.column("tags", .text).notNull()
                table.column("inventory", .text)
                table.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "credential") { table in
                table.primaryKey("name", .text)
                table.column("user", .text)
                table.column("sealed", .blob).notNull()
                table.column("kind", .text).notNull()
                table.column("created", .datetime).notNull()
            }
            try db.create(table: "addressPool") { table in
                table.primaryKey("name", .text)
                table.column("addresses", .blob).notNull()
            }
            try db.create(table: "poolAssignment") { table in
                table.column("pool", .text).notNull().references("addressPool", onDelete: .cascade)
                table.column("address", .integer).notNull()
                table.column("serverID", .text).notNull()
                table.column("assignedAt", .datetime).notNull()
                table.primaryKey(["pool", "address"])
                table.uniqueKey(["pool", "serverID"])
            }
            try db.create(table: "biosBackup") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("bmc", .text).notNull().indexed()
                table.column("deviceType", .text).notNull()
                table.column("taken", .datetime).notNull()
                table.column("attributes", .text).notNull()
            }
            try db.create(table: "audit") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("at", .datetime).notNull()
                table.column("actor", .text).notNull()
                table.column("action", .text).notNull()
                table.column("target", .text).notNull()
                table.column("detail", .text).notNull()
            }
        }
        migrator.registerMigration("v2: workflows, steps, events") { db in
            try db.create(table: "workflow") { table in
                table.primaryKey("id", .text)
                table.column("definition", .text).notNull()
                table.column("version", .integer).notNull()
                table.column("serverID", .text).notNull().indexed()
                table.column("state", .text).notNull().indexed()
                table.column("input", .text).notNull()
                table.column("reason", .text)
                table.column("batch", .text).indexed()
                table.column("owner", .text)
                table.column("heartbeat", .datetime)
                table.column("cancelRequested", .boolean).notNull().defaults(to: false)
                table.column("created", .datetime).notNull()
                table.column("updated", .datetime).notNull()
            }
            try db.create(table: "step") { table in
                table.column("workflowID", .text).notNull().references("workflow", onDelete: .cascade)
                table.column("index", .integer).notNull()
                table.column("name", .text).notNull()
                table.column("state", .text).notNull()
                table.column("attempt", .integer).notNull()
                table.column("started", .datetime)
                table.column("finished", .datetime)
                table.column("output", .text)
                table.column("error", .text)
                table.primaryKey(["workflowID", "index"])
            }
            try db.create(table: "event") { table in
                table.autoIncrementedPrimaryKey("seq")
                table.column("workflowID", .text).notNull().indexed()
                table.column("step", .text)
                table.column("kind", .text).notNull()
                table.column("percent", .double)
                table.column("message", .text).notNull()
                table.column("at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v3: servers know their MAAS machine") { db in
            try db.alter(table: "server") { table in table.add(column: "maasSystemID", .text) }
        }
        migrator.registerMigration("v4: API tokens") { db in
            try db.create(table: "apiToken") { table in
                table.primaryKey("id", .text)
                table.column("name", .text).notNull()
                table.column("scope", .text).notNull()
                table.column("digest", .text).notNull().unique()
                table.column("created", .datetime).notNull()
                table.column("revoked", .datetime)
            }
        }
        migrator.registerMigration("v5: API token expiry and last use") { db in
            try db.alter(table: "apiToken") { table in
                table.add(column: "expires", .datetime)
                table.add(column: "lastUsed", .datetime)
            }
        }
        migrator.registerMigration("v6: credential bindings") { db in
            // Existing credentials stay unbound (any address, https only) and are listed as such.
            try db.alter(table: "credential") { table in
                table.add(column: "allowed", .text).notNull().defaults(to: "[]")
                table.add(column: "allowPlainHTTP", .boolean).notNull().defaults(to: false)
            }
        }
        migrator.registerMigration("v7: workflow lease epochs") { db in
            // Each claim adds one; a driver's writes are fenced by (owner, epoch).
            try db.alter(table: "workflow") { table in
                table.add(column: "leaseEpoch", .integer).notNull().defaults(to: 0)
            }
        }
        migrator.registerMigration("v8: BMC locks") { db in
            // One row per BMC ever locked, kept on release (holder NULL) so that tokens only grow.
            try db.create(table: "bmcLock") { table in
                table.primaryKey("bmcKey", .text)
                table.column("holder", .text).indexed()
                table.column("workflowID", .text)
                table.column("step", .text)
                table.column("token", .integer).notNull()
                table.column("acquired", .datetime)
                table.column("expires", .datetime)
            }
        }
        migrator.registerMigration("v9: history indexes") { db in
            // Listings page newest first (created DESC, id) in the database, whole or by server, state, batch or
            // definition; pruning finds finished runs by state and last update.
            for (name, columns) in Self.historyIndexes {
                try db.execute(sql: "CREATE INDEX \(name) ON workflow (\(columns))")
            }
            try db.execute(sql: "CREATE INDEX event_kind_workflow ON event (kind, workflowID)")
        }
        migrator.registerMigration("v10: drift checks") { db in
            // One row per check, never updated: the newest per server is the drift report, the rest its history.
            try db.create(table: "drift") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("serverID", .text).notNull()
                table.column("checkedAt", .datetime).notNull()
                table.column("deviceType", .text)
                table.column("state", .text).notNull()
                table.column("detail", .text).notNull()
            }
            try db.execute(sql: "CREATE INDEX drift_server ON drift (serverID, id)")
        }
        return migrator
    }

    /// The v9 workflow indexes: name and columns.
    static let historyIndexes: [(String, String)] = [
        ("workflow_created", "created DESC, id"),
        ("workflow_server_created", "serverID, created DESC, id"),
        ("workflow_state_created", "state, created DESC, id"),
        ("workflow_batch_created", "batch, created DESC, id"),
        ("workflow_definition_created", "definition, created DESC, id"),
        ("workflow_state_updated", "state, updated"),
    ]

    /// Migrations applied to this database, in order.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try read { db in try Self.migrator.appliedMigrations(db) }
    }

    // Reads and writes are synchronous on purpose: GRDB's async variants park Swift concurrency threads on its
    // reader semaphore, and with many workflows at once every cooperative thread can end up parked while the
    // readers they wait for need one of those threads to be released (a deadlock seen with 16 runs on 2 cores).
    // A synchronous access holds a thread for the few microseconds the statement takes and never waits on a task.
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch let error as StoreError { throw error } catch {
            throw StoreError("\(path): \(error)")
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(body) } catch let error as StoreError { throw error } catch {
            throw StoreError("\(path): \(error)")
        }
    }

    // MARK: Servers

    /// The `Store` requirement of the same name.
    public func upsertServer(_ server: ServerRecord) async throws(StoreError) {
        let tags = String(decoding: (try? JSONEncoder().encode(server.tags)) ?? Data("[]".utf8), as: UTF8.self)
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO server (id, name, bmcAddress, credential, sshHost, deviceType, confidence, status, tags, inventory, maasSystemID, updatedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET name = excluded.name, bmcAddress = excluded.bmcAddress,
                      credential = excluded.credential, sshHost = excluded.sshHost, deviceType = excluded.deviceType,
                      confidence = excluded.confidence, status = excluded.status, tags = excluded.tags,
                      inventory = excluded.inventory, maasSystemID = excluded.maasSystemID, updatedAt = excluded.updatedAt
                    """,
                arguments: [
                    server.id, server.name, server.bmcAddress, server.credential, server.sshHost, server.deviceType,
                    server.confidence, server.status, tags, server.inventory, server.maasSystemID, server.updatedAt,
                ])
        }
    }

    private static func server(_ row: Row) -> ServerRecord {
        let tags = (try? JSONDecoder().decode([String].self, from: Data((row["tags"] as String).utf8))) ?? []
        return ServerRecord(
            id: row["id"], name: row["name"], bmcAddress: row["bmcAddress"], credential: row["credential"],
            sshHost: row["sshHost"],
            deviceType: row["deviceType"], confidence: row["confidence"], status: row["status"], tags: tags,
            inventory: row["inventory"], maasSystemID: row["maasSystemID"], updatedAt: row["updatedAt"])
    }

    /// The `Store` requirement of the same name.
    public func server(id: String) async throws(StoreError) -> ServerRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM server WHERE id = ?", arguments: [id]).map(Self.server)
        }
    }

    /// The `Store` requirement of the same name.
    public func servers() async throws(StoreError) -> [ServerRecord] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM server ORDER BY id").map(Self.server) }
    }

    /// The `Store` requirement of the same name.
    public func deleteServer(id: String) async throws(StoreError) -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM server WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    // MARK: Credentials

    /// The `Store` requirement of the same name.
    public func putCredential(name: String, user: String?, secret: String, kind: String, scope: CredentialScope)
        async throws(StoreError)
    {
        let sealed = try box.seal(secret, credential: name, scope: scope)
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO credential (name, user, sealed, kind, created, allowed, allowPlainHTTP)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [name, user, sealed, kind, Date(), scope.stored, scope.allowPlainHTTP])
        }
    }

    /// The `Store` requirement of the same name.
    public func bindCredential(name: String, scope: CredentialScope) async throws(StoreError) -> Bool {
        let box = box
        return try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM credential WHERE name = ?", arguments: [name])
            else { return false }
            let opened = try box.open(
                row["sealed"], credential: name, user: row["user"],
                scope: try Self.scope(row, credential: name))
            try db.execute(
                sql: "UPDATE credential SET sealed = ?, allowed = ?, allowPlainHTTP = ? WHERE name = ?",
                arguments: [
                    try box.seal(opened.secret, credential: name, scope: scope), scope.stored, scope.allowPlainHTTP,
                    name,
                ])
            return true
        }
    }

    private static func scope(_ row: Row, credential name: String) throws(StoreError) -> CredentialScope {
        try CredentialScope.stored(row["allowed"], allowPlainHTTP: row["allowPlainHTTP"], credential: name)
    }

    /// The `Store` requirement of the same name.
    public func credential(name: String) async throws(StoreError) -> Credential? {
        guard
            let row = try read({ db in
                try Row.fetchOne(db, sql: "SELECT * FROM credential WHERE name = ?", arguments: [name])
            })
        else { return nil }
        return try box.open(
            row["sealed"], credential: name, user: row["user"], scope: try Self.scope(row, credential: name))
    }

    /// The `Store` requirement of the same name.
    public func credentials() async throws(StoreError) -> [CredentialSummary] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT name, user, kind, created, allowed, allowPlainHTTP FROM credential ORDER BY name"
            ).map { row in
                CredentialSummary(
                    name: row["name"], user: row["user"], kind: row["kind"], created: row["created"],
                    scope: try Self.scope(row, credential: row["name"]))
            }
        }
    }

    /// The `Store` requirement of the same name.
    public func deleteCredential(name: String) async throws(StoreError) -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM credential WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    // MARK: Pools

    /// The `Store` requirement of the same name.
    public func definePool(name: String, ranges: [String], exclusions: [String]) async throws(StoreError) {
        let addresses = try AddressRange.addresses(ranges: ranges, exclusions: exclusions)
        let blob = addresses.withUnsafeBufferPointer { Data(buffer: $0) }
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO addressPool (name, addresses) VALUES (?, ?)", arguments: [name, blob])
        }
    }

    /// The `Store` requirement of the same name.
    public func assign(pool: String, serverID: String) async throws(StoreError) -> String {
        // One write transaction: read what is taken, take the lowest free address. SQLite serialises writers, and
        // the (pool, address) and (pool, serverID) keys make a double assignment impossible even so.
        try write { db in
            if let existing = try Int64.fetchOne(
                db, sql: "SELECT address FROM poolAssignment WHERE pool = ? AND serverID = ?",
                arguments: [pool, serverID])
            {
                return AddressRange.format(UInt32(existing))
            }
            guard
                let blob = try Data.fetchOne(
                    db, sql: "SELECT addresses FROM addressPool WHERE name = ?", arguments: [pool])
            else {
                throw StoreError("no address pool `\(pool)`")
            }
            let addresses = blob.withUnsafeBytes { Array($0.bindMemory(to: UInt32.self)) }
            let used = Set(
                try Int64.fetchAll(db, sql: "SELECT address FROM poolAssignment WHERE pool = ?", arguments: [pool]).map
                { UInt32($0) })
            guard let free = addresses.first(where: { !used.contains($0) }) else {
                throw StoreError("address pool `\(pool)` is exhausted (\(addresses.count) addresses, all assigned)")
            }
            try db.execute(
                sql: "INSERT INTO poolAssignment (pool, address, serverID, assignedAt) VALUES (?, ?, ?, ?)",
                arguments: [pool, Int64(free), serverID, Date()])
            return AddressRange.format(free)
        }
    }

    /// The `Store` requirement of the same name.
    public func release(pool: String, serverID: String) async throws(StoreError) -> Bool {
        try write { db in
            try db.execute(
                sql: "DELETE FROM poolAssignment WHERE pool = ? AND serverID = ?", arguments: [pool, serverID])
            return db.changesCount > 0
        }
    }

    /// The `Store` requirement of the same name.
    public func assignments(pool: String) async throws(StoreError) -> [PoolAssignment] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM poolAssignment WHERE pool = ? ORDER BY address", arguments: [pool])
                .map {
                    PoolAssignment(
                        pool: $0["pool"], address: AddressRange.format(UInt32($0["address"] as Int64)),
                        serverID: $0["serverID"],
                        assignedAt: $0["assignedAt"])
                }
        }
    }

    // MARK: BIOS backups and audit

    /// The `Store` requirement of the same name.
    public func saveBIOSBackup(_ backup: BIOSBackupRecord) async throws(StoreError) -> BIOSBackupRecord {
        try write { db in
            try db.execute(
                sql: "INSERT INTO biosBackup (bmc, deviceType, taken, attributes) VALUES (?, ?, ?, ?)",
                arguments: [backup.bmc, backup.deviceType, backup.taken, backup.attributes])
            var saved = backup
            saved.id = db.lastInsertedRowID
            return saved
        }
    }

    private static func backup(_ row: Row) -> BIOSBackupRecord {
        BIOSBackupRecord(
            id: row["id"], bmc: row["bmc"], deviceType: row["deviceType"], taken: row["taken"],
            attributes: row["attributes"])
    }

    /// The `Store` requirement of the same name.
    public func biosBackup(id: Int64) async throws(StoreError) -> BIOSBackupRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM biosBackup WHERE id = ?", arguments: [id]).map(Self.backup)
        }
    }

    /// The `Store` requirement of the same name.
    public func biosBackups(bmc: String) async throws(StoreError) -> [BIOSBackupRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM biosBackup WHERE bmc = ? ORDER BY id DESC", arguments: [bmc]).map(
                Self.backup)
        }
    }

    /// The `Store` requirement of the same name.
    public func audit(_ entry: AuditEntry) async throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                arguments: [entry.at, entry.actor, entry.action, entry.target, entry.detail])
        }
    }

    /// The `Store` requirement of the same name.
    public func auditLog(limit: Int) async throws(StoreError) -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit]).map {
                AuditEntry(
                    at: $0["at"], actor: $0["actor"], action: $0["action"], target: $0["target"], detail: $0["detail"])
            }
        }
    }
}

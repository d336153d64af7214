import ChildTasks
import Foundation
import Logging
import NIOSSL
import PostgresNIO
import WorkflowEngine

/// The shared store: PostgreSQL (postgres-nio's connection pool), for several workers over one fleet. The same
/// records and rules as `SQLiteStore`; every multi-row change is one transaction.
public final class PostgresStore: Store {
    let client: PostgresClient
    let box: SecretBox
    let logger: Logger
    /// Where the store is (no password).
    public let configuration: PostgresConfiguration

    private init(client: PostgresClient, box: SecretBox, configuration: PostgresConfiguration, logger: Logger) {
        self.client = client
        self.box = box
        self.configuration = configuration
        self.logger = logger
    }

    /// Connects to the database at `configuration`, brings its schema up to date, and adds the store's connection
    /// pool to the current `ServiceScope` (the pool, and so the store, works until that scope ends).
    /// - Throws: `StoreError` naming the database when it cannot be reached or migrated, or when no `ServiceScope`
    ///   is around the caller (see `withStore` for a scope of the store's own).
    public static func open(_ configuration: PostgresConfiguration, box: SecretBox, logger: Logger)
        async
        throws(StoreError) -> PostgresStore
    {
        let tls: PostgresClient.Configuration.TLS
        switch configuration.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        let purpose = "a PostgreSQL store's connection pool"
        guard ServiceScope.current != nil else {
            throw StoreError("\(configuration): \(ServiceScopeError(purpose: purpose))")
        }
        // One direct connection first, which also migrates: a wrong password or an unreachable server is a clear
        // error at once (the pool would keep retrying in the background), and a failed migration leaves no pool.
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try connectionConfiguration(configuration), id: 0, logger: logger)
            do {
                try await migrate(on: connection, logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        } catch {
            throw Self.wrap(error, configuration)
        }
        var settings = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.user,
            password: configuration.password, database: configuration.database, tls: tls)
        settings.options.connectTimeout = .seconds(10)
        settings.options.maximumConnections = 8
        // The pool logs a warning when the first query races its run loop's start (harmless): errors only.
        var poolLogger = logger
        poolLogger.logLevel = .error
        let client = PostgresClient(configuration: settings, backgroundLogger: poolLogger)
        do {
            try await ServiceScope.add(client, for: purpose)
        } catch {
            throw StoreError("\(configuration): \(error)")
        }
        return PostgresStore(client: client, box: box, configuration: configuration, logger: logger)
    }

    /// Opens the store at `configuration` in a `ServiceScope` of its own, runs `body` with it, and ends its
    /// connections when `body` ends: for a caller that is not inside a scope, or wants the store for less.
    public static func withStore<T>(
        isolation: isolated (any Actor)? = #isolation, _ configuration: PostgresConfiguration, box: SecretBox,
        logger: Logger, _ body: (PostgresStore) async throws -> T
    ) async throws -> T {
        try await ServiceScope.run(logger: logger) {
            try await body(try await open(configuration, box: box, logger: logger))
        }
    }

    /// One connection's settings (the probe on open, the events listener).
    static func connectionConfiguration(_ configuration: PostgresConfiguration) throws
        -> PostgresConnection.Configuration
    {
        let context = try NIOSSLContext(configuration: .makeClientConfiguration())
        var settings = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.user,
            password: configuration.password, database: configuration.database,
            tls: configuration.tls == .disable
                ? .disable : configuration.tls == .prefer ? .prefer(context) : .require(context))
        settings.options.connectTimeout = .seconds(10)
        return settings
    }

    // MARK: Access

    /// Runs `body` on a pooled connection, turning any failure into a `StoreError` naming the database.
    func connection<T>(_ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw wrap(error)
        }
    }

    /// Runs `body` in one transaction (committed when it returns, rolled back when it throws).
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            throw wrap(error)
        }
    }

    func wrap(_ error: any Error) -> StoreError { Self.wrap(error, configuration) }

    /// `error` as a `StoreError` naming the database (never its password) and what the server or the network said.
    static func wrap(_ error: any Error, _ configuration: PostgresConfiguration) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError ?? error.beginError ?? error.commitError {
                return wrap(inner, configuration)
            }
        }
        if let error = error as? PSQLError {
            var detail = "\(error.code)"
            if let message = error.serverInfo?[.message] { detail += ": \(message)" }
            if let underlying = error.underlying { detail += ": \(underlying)" }
            return StoreError("\(configuration): \(detail)")
        }
        return StoreError("\(configuration): \(error)")
    }

    /// Rows of `query`, each turned into a value by `make`.
    func rows<T>(_ query: PostgresQuery, _ make: (PostgresRow) throws -> T) async throws(StoreError) -> [T] {
        try await connection { connection in
            var values: [T] = []
            for try await row in try await connection.query(query, logger: logger) { values.append(try make(row)) }
            return values
        }
    }

    /// Runs `query`; the number of rows it changed.
    @discardableResult
    func execute(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> Int {
        try await Self.execute(query, on: connection, logger: logger)
    }

    /// Runs `query` on `connection`; the number of rows it changed.
    @discardableResult
    static func execute(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(query, logger: logger)
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    // MARK: Schema

    /// Applies the migrations not yet applied, on `connection` (one transaction each).
    static func migrate(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            try await execute(
                "CREATE TABLE IF NOT EXISTS schema_migration (id text PRIMARY KEY, applied timestamptz NOT NULL)",
                on: connection, logger: logger)
        }
        for migration in Self.migrations {
            try await connection.withTransaction(logger: logger) { connection in
                // One migrator at a time across every worker; the check is inside the lock.
                try await execute("SELECT pg_advisory_xact_lock(4857412101)", on: connection, logger: logger)
                let done = try await connection.query(
                    "SELECT 1 FROM schema_migration WHERE id = \(migration.id)", logger: logger)
                for try await _ in done { return }
                for statement in migration.statements {
                    try await execute(PostgresQuery(unsafeSQL: statement), on: connection, logger: logger)
                }
                try await execute(
                    "INSERT INTO schema_migration (id, applied) VALUES (\(migration.id), \(Date()))", on: connection,
                    logger: logger)
            }
        }
    }

    /// Migrations applied to this database, in order.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        let applied = Set(try await rows("SELECT id FROM schema_migration") { try $0.decode(String.self) })
        // In the schema's order (text order would put v10 before v2), then any this build does not know.
        let known = Self.migrations.map(\.id)
        return known.filter(applied.contains) + applied.subtracting(known).sorted()
    }

    // MARK: Servers

    static let serverColumns =
        "id, name, bmc_address, credential, ssh_host, device_type, confidence, status, tags, inventory, "
        + "maas_system_id, updated_at"

    static func server(_ row: PostgresRow) throws -> ServerRecord {
        let (id, name, bmc, credential, ssh, type, confidence, status, tags, inventory, maas, updated) =
            try row.decode(
                (
                    String, String, String?, String?, String?, String?, String?, String, String, String?, String?,
                    Date
                ).self)
        return ServerRecord(
            id: id, name: name, bmcAddress: bmc, credential: credential, sshHost: ssh, deviceType: type,
            confidence: confidence, status: status,
            tags: (try? JSONDecoder().decode([String].self, from: Data(tags.utf8))) ?? [], inventory: inventory,
            maasSystemID: maas, updatedAt: updated)
    }

    /// The `Store` requirement of the same name.
    public func upsertServer(_ server: ServerRecord) async throws(StoreError) {
        let tags = String(decoding: (try? JSONEncoder().encode(server.tags)) ?? Data("[]".utf8), as: UTF8.self)
        try await connection { connection in
            try await self.execute(
                """
                INSERT INTO server (id, name, bmc_address, credential, ssh_host, device_type, confidence, status, tags,
                  inventory, maas_system_id, updated_at)
                VALUES (\(server.id), \(server.name), \(server.bmcAddress), \(server.credential), \(server.sshHost),
                  \(server.deviceType), \(server.confidence), \(server.status), \(tags), \(server.inventory),
                  \(server.maasSystemID), \(server.updatedAt))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, bmc_address = excluded.bmc_address,
                  credential = excluded.credential, ssh_host = excluded.ssh_host, device_type = excluded.device_type,
                  confidence = excluded.confidence, status = excluded.status, tags = excluded.tags,
                  inventory = excluded.inventory, maas_system_id = excluded.maas_system_id,
                  updated_at = excluded.updated_at
                """, on: connection)
        }
    }

    /// The `Store` requirement of the same name.
    public func server(id: String) async throws(StoreError) -> ServerRecord? {
        try await rows(
            "SELECT \(unescaped: Self.serverColumns) FROM server WHERE id = \(id)", Self.server
        ).first
    }

    /// The `Store` requirement of the same name.
    public func servers() async throws(StoreError) -> [ServerRecord] {
        try await rows("SELECT \(unescaped: Self.serverColumns) FROM server ORDER BY id", Self.server)
    }

    /// The `Store` requirement of the same name.
    public func deleteServer(id: String) async throws(StoreError) -> Bool {
        try await connection { connection in
            try await self.execute("DELETE FROM server WHERE id = \(id) RETURNING id", on: connection) > 0
        }
    }

    // MARK: Credentials

    /// The `Store` requirement of the same name.
    public func putCredential(name: String, user: String?, secret: String, kind: String, scope: CredentialScope)
        async throws(StoreError)
    {
        let sealed = try box.seal(secret, credential: name, scope: scope)
        let (allowed, plain) = (scope.stored, scope.allowPlainHTTP)
        try await connection { connection in
            try await self.execute(
                """
                INSERT INTO credential (name, username, sealed, kind, created, allowed, allow_plain_http)
                VALUES (\(name), \(user), \(sealed), \(kind), \(Date()), \(allowed), \(plain))
                ON CONFLICT (name) DO UPDATE SET username = excluded.username, sealed = excluded.sealed,
                  kind = excluded.kind, created = excluded.created, allowed = excluded.allowed,
                  allow_plain_http = excluded.allow_plain_http
                """, on: connection)
        }
    }

    /// The `Store` requirement of the same name.
    public func bindCredential(name: String, scope: CredentialScope) async throws(StoreError) -> Bool {
        let box = box
        let (allowed, plain) = (scope.stored, scope.allowPlainHTTP)
        return try await transaction { connection in
            let rows = try await connection.query(
                "SELECT username, sealed, allowed, allow_plain_http FROM credential WHERE name = \(name) FOR UPDATE",
                logger: self.logger)
            var found: (String?, Data, String, Bool)?
            for try await row in rows { found = try row.decode((String?, Data, String, Bool).self) }
            guard let (user, sealed, oldAllowed, oldPlain) = found else { return false }
            let opened = try box.open(
                sealed, credential: name, user: user,
                scope: try CredentialScope.stored(oldAllowed, allowPlainHTTP: oldPlain, credential: name))
            let resealed = try box.seal(opened.secret, credential: name, scope: scope)
            try await self.execute(
                """
                UPDATE credential SET sealed = \(resealed), allowed = \(allowed), allow_plain_http = \(plain)
                WHERE name = \(name)
                """, on: connection)
            return true
        }
    }

    /// The `Store` requirement of the same name.
    public func credential(name: String) async throws(StoreError) -> Credential? {
        guard
            let (user, sealed, allowed, plain) = try await rows(
                "SELECT username, sealed, allowed, allow_plain_http FROM credential WHERE name = \(name)",
                { try $0.decode((String?, Data, String, Bool).self) }
            ).first
        else { return nil }
        return try box.open(
            sealed, credential: name, user: user,
            scope: try CredentialScope.stored(allowed, allowPlainHTTP: plain, credential: name))
    }

    /// The `Store` requirement of the same name.
    public func credentials() async throws(StoreError) -> [CredentialSummary] {
        let rows = try await rows(
            "SELECT name, username, kind, created, allowed, allow_plain_http FROM credential ORDER BY name"
        ) { row in try row.decode((String, String?, String, Date, String, Bool).self) }
        var summaries: [CredentialSummary] = []
        for (name, user, kind, created, allowed, plain) in rows {
            summaries.append(
                CredentialSummary(
                    name: name, user: user, kind: kind, created: created,
                    scope: try CredentialScope.stored(allowed, allowPlainHTTP: plain, credential: name)))
        }
        return summaries
    }

    /// The `Store` requirement of the same name.
    public func deleteCredential(name: String) async throws(StoreError) -> Bool {
        try await connection { connection in
            try await self.execute("DELETE FROM credential WHERE name = \(name) RETURNING name", on: connection) > 0
        }
    }

    // MARK: Pools

    /// The `Store` requirement of the same name.
    public func definePool(name: String, ranges: [String], exclusions: [String]) async throws(StoreError) {
        let addresses = try AddressRange.addresses(ranges: ranges, exclusions: exclusions)
        let blob = addresses.withUnsafeBufferPointer { Data(buffer: $0) }
        try await connection { connection in
            try await self.execute(
                """
                INSERT INTO address_pool (name, addresses) VALUES (\(name), \(blob))
                ON CONFLICT (name) DO UPDATE SET addresses = excluded.addresses
                """, on: connection)
        }
    }

    /// The `Store` requirement of the same name.
    public func assign(pool: String, serverID: String) async throws(StoreError) -> String {
        // The pool's row is locked for the transaction: assignments from any number of workers are serialised per
        // pool, and the (pool, address) and (pool, server) keys make a double assignment impossible even so.
        try await transaction { connection in
            var blob: Data?
            for try await row in try await connection.query(
                "SELECT addresses FROM address_pool WHERE name = \(pool) FOR UPDATE", logger: self.logger)
            {
                blob = try row.decode(Data.self)
            }
            guard let blob else { throw StoreError("no address pool `\(pool)`") }
            for try await row in try await connection.query(
                "SELECT address FROM pool_assignment WHERE pool = \(pool) AND server_id = \(serverID)",
                logger: self.logger)
            {
                return AddressRange.format(UInt32(try row.decode(Int64.self)))
            }
            var used = Set<UInt32>()
            for try await row in try await connection.query(
                "SELECT coalesce(array_agg(address), '{}') FROM pool_assignment WHERE pool = \(pool)",
                logger: self.logger)
            {
                used = Set(try row.decode([Int64].self).map { UInt32($0) })
            }
            let addresses = blob.withUnsafeBytes { Array($0.bindMemory(to: UInt32.self)) }
            guard let free = addresses.first(where: { !used.contains($0) }) else {
                throw StoreError("address pool `\(pool)` is exhausted (\(addresses.count) addresses, all assigned)")
            }
            try await self.execute(
                """
                INSERT INTO pool_assignment (pool, address, server_id, assigned_at)
                VALUES (\(pool), \(Int64(free)), \(serverID), \(Date()))
                """, on: connection)
            return AddressRange.format(free)
        }
    }

    /// The `Store` requirement of the same name.
    public func release(pool: String, serverID: String) async throws(StoreError) -> Bool {
        try await connection { connection in
            try await self.execute(
                "DELETE FROM pool_assignment WHERE pool = \(pool) AND server_id = \(serverID) RETURNING address",
                on: connection) > 0
        }
    }

    /// The `Store` requirement of the same name.
    public func assignments(pool: String) async throws(StoreError) -> [PoolAssignment] {
        try await rows(
            "SELECT address, server_id, assigned_at FROM pool_assignment WHERE pool = \(pool) ORDER BY address"
        ) { row in
            let (address, server, at) = try row.decode((Int64, String, Date).self)
            return PoolAssignment(
                pool: pool, address: AddressRange.format(UInt32(address)), serverID: server, assignedAt: at)
        }
    }

    // MARK: BIOS backups and audit

    /// The `Store` requirement of the same name.
    public func saveBIOSBackup(_ backup: BIOSBackupRecord) async throws(StoreError) -> BIOSBackupRecord {
        let ids = try await rows(
            """
            INSERT INTO bios_backup (bmc, device_type, taken, attributes)
            VALUES (\(backup.bmc), \(backup.deviceType), \(backup.taken), \(backup.attributes)) RETURNING id
            """
        ) { try $0.decode(Int64.self) }
        var saved = backup
        saved.id = ids.first
        return saved
    }

    static func backup(_ row: PostgresRow) throws -> BIOSBackupRecord {
        let (id, bmc, type, taken, attributes) = try row.decode((Int64, String, String, Date, String).self)
        return BIOSBackupRecord(id: id, bmc: bmc, deviceType: type, taken: taken, attributes: attributes)
    }

    /// The `Store` requirement of the same name.
    public func biosBackup(id: Int64) async throws(StoreError) -> BIOSBackupRecord? {
        try await rows(
            "SELECT id, bmc, device_type, taken, attributes FROM bios_backup WHERE id = \(id)", Self.backup
        ).first
    }

    /// The `Store` requirement of the same name.
    public func biosBackups(bmc: String) async throws(StoreError) -> [BIOSBackupRecord] {
        try await rows(
            "SELECT id, bmc, device_type, taken, attributes FROM bios_backup WHERE bmc = \(bmc) ORDER BY id DESC",
            Self.backup)
    }

    /// The `Store` requirement of the same name.
    public func audit(_ entry: AuditEntry) async throws(StoreError) {
        try await connection { connection in
            try await self.execute(
                """
                INSERT INTO audit (at, actor, action, target, detail)
                VALUES (\(entry.at), \(entry.actor), \(entry.action), \(entry.target), \(entry.detail))
                """, on: connection)
        }
    }

    /// The `Store` requirement of the same name.
    public func auditLog(limit: Int) async throws(StoreError) -> [AuditEntry] {
        try await rows("SELECT at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT \(limit)") { row in
            let (at, actor, action, target, detail) = try row.decode((Date, String, String, String, String).self)
            return AuditEntry(at: at, actor: actor, action: action, target: target, detail: detail)
        }
    }
}

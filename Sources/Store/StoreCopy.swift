import Crypto
import Foundation
import GRDB
import PostgresNIO

/// Moves an installation from SQLite to PostgreSQL without losing history: every row of every table, ids and
/// event numbers kept, in one PostgreSQL transaction that is committed only after each table's row count and
/// content checksum read back from PostgreSQL equal SQLite's. The destination must be empty.
public enum StoreCopy {
    /// What was copied of one table.
    public struct Table: Sendable, Hashable, Codable {
        /// The table (SQLite's name).
        public var name: String
        /// Rows.
        public var rows: Int
        /// SHA-256 over the rows in key order, the same on both sides.
        public var checksum: String
    }

    enum Kind { case text, int, double, blob, date, bool }

    /// One table: SQLite's name and columns, PostgreSQL's, the key order, the serial column to move on.
    struct Mapping {
        var sqlite: String
        var postgres: String
        var columns: [(sqlite: String, postgres: String, kind: Kind)]
        var order: String
        var serial: String?
    }

    static let tables: [Mapping] = [
        Mapping(
            sqlite: "server", postgres: "server",
            columns: [
                ("id", "id", .text), ("name", "name", .text), ("bmcAddress", "bmc_address", .text),
                ("credential", "credential", .text), ("sshHost", "ssh_host", .text),
                ("deviceType", "device_type", .text), ("confidence", "confidence", .text), ("status", "status", .text),
                ("tags", "tags", .text), ("inventory", "inventory", .text),
                ("maasSystemID", "maas_system_id", .text), ("updatedAt", "updated_at", .date),
            ], order: "id", serial: nil),
        Mapping(
            sqlite: "credential", postgres: "credential",
            columns: [
                ("name", "name", .text), ("user", "username", .text), ("sealed", "sealed", .blob),
                ("kind", "kind", .text), ("created", "created", .date), ("allowed", "allowed", .text),
                ("allowPlainHTTP", "allow_plain_http", .bool),
            ], order: "name", serial: nil),
        Mapping(
            sqlite: "addressPool", postgres: "address_pool",
            columns: [("name", "name", .text), ("addresses", "addresses", .blob)], order: "name", serial: nil),
        Mapping(
            sqlite: "poolAssignment", postgres: "pool_assignment",
            columns: [
                ("pool", "pool", .text), ("address", "address", .int), ("serverID", "server_id", .text),
                ("assignedAt", "assigned_at", .date),
            ], order: "pool, address", serial: nil),
        Mapping(
            sqlite: "biosBackup", postgres: "bios_backup",
            columns: [
                ("id", "id", .int), ("bmc", "bmc", .text), ("deviceType", "device_type", .text),
                ("taken", "taken", .date), ("attributes", "attributes", .text),
            ], order: "id", serial: "id"),
        Mapping(
            sqlite: "drift", postgres: "drift",
            columns: [
                ("id", "id", .int), ("serverID", "server_id", .text), ("checkedAt", "checked_at", .date),
                ("deviceType", "device_type", .text), ("state", "state", .text), ("detail", "detail", .text),
            ], order: "id", serial: "id"),
        Mapping(
            sqlite: "audit", postgres: "audit",
            columns: [
                ("id", "id", .int), ("at", "at", .date), ("actor", "actor", .text), ("action", "action", .text),
                ("target", "target", .text), ("detail", "detail", .text),
            ], order: "id", serial: "id"),
        Mapping(
            sqlite: "workflow", postgres: "workflow",
            columns: [
                ("id", "id", .text), ("definition", "definition", .text), ("version", "version", .int),
                ("serverID", "server_id", .text), ("state", "state", .text), ("input", "input", .text),
                ("reason", "reason", .text), ("batch", "batch", .text), ("owner", "owner", .text),
                ("heartbeat", "heartbeat", .date), ("leaseEpoch", "lease_epoch", .int),
                ("cancelRequested", "cancel_requested", .bool), ("created", "created", .date),
                ("updated", "updated", .date),
            ], order: "id", serial: nil),
        Mapping(
            sqlite: "step", postgres: "step",
            columns: [
                ("workflowID", "workflow_id", .text), ("\"index\"", "idx", .int), ("name", "name", .text),
                ("state", "state", .text), ("attempt", "attempt", .int), ("started", "started", .date),
                ("finished", "finished", .date), ("output", "output", .text), ("error", "error", .text),
            ], order: "workflow_id, idx", serial: nil),
        Mapping(
            sqlite: "event", postgres: "event",
            columns: [
                ("seq", "seq", .int), ("workflowID", "workflow_id", .text), ("step", "step", .text),
                ("kind", "kind", .text), ("percent", "percent", .double), ("message", "message", .text),
                ("at", "at", .date),
            ], order: "seq", serial: "seq"),
        Mapping(
            sqlite: "apiToken", postgres: "api_token",
            columns: [
                ("id", "id", .text), ("name", "name", .text), ("scope", "scope", .text), ("digest", "digest", .text),
                ("created", "created", .date), ("revoked", "revoked", .date), ("expires", "expires", .date),
                ("lastUsed", "last_used", .date),
            ], order: "id", serial: nil),
    ]

    /// A value on its way between the two, in the one form both sides compare by.
    enum Value: Sendable {
        case null, text(String), int(Int64), double(Double), blob(Data), date(Date), bool(Bool)

        var canonical: String {
            switch self {
            case .null: return "∅"
            case .text(let text): return "s" + text
            case .int(let int): return "i\(int)"
            case .double(let double): return "d\(double)"
            case .blob(let data): return "b" + data.base64EncodedString()
            case .date(let date): return "t\(Int64((date.timeIntervalSince1970 * 1000).rounded()))"
            case .bool(let bool): return bool ? "T" : "F"
            }
        }

        func bind(into bindings: inout PostgresBindings) {
            switch self {
            case .null: bindings.appendNull()
            case .text(let text): bindings.append(text)
            case .int(let int): bindings.append(int)
            case .double(let double): bindings.append(double)
            case .blob(let data): bindings.append(ByteBuffer(bytes: data))
            case .date(let date): bindings.append(date)
            case .bool(let bool): bindings.append(bool)
            }
        }
    }

    static func value(_ database: DatabaseValue, _ kind: Kind) -> Value {
        if database.isNull { return .null }
        switch kind {
        case .text: return String.fromDatabaseValue(database).map(Value.text) ?? .null
        case .int: return Int64.fromDatabaseValue(database).map(Value.int) ?? .null
        case .double: return Double.fromDatabaseValue(database).map(Value.double) ?? .null
        case .blob: return Data.fromDatabaseValue(database).map(Value.blob) ?? .null
        case .date: return Date.fromDatabaseValue(database).map(Value.date) ?? .null
        case .bool: return Bool.fromDatabaseValue(database).map(Value.bool) ?? .null
        }
    }

    static func value(_ cell: PostgresCell, _ kind: Kind) throws -> Value {
        guard cell.bytes != nil else { return .null }
        switch kind {
        case .text: return .text(try cell.decode(String.self))
        case .int: return .int(try cell.decode(Int64.self))
        case .double: return .double(try cell.decode(Double.self))
        case .blob: return .blob(try cell.decode(Data.self))
        case .date: return .date(try cell.decode(Date.self))
        case .bool: return .bool(try cell.decode(Bool.self))
        }
    }

    /// Checksum state for one table.
    struct Digest {
        var hasher = SHA256()
        var rows = 0

        mutating func add(_ row: [Value]) {
            hasher.update(data: Data((row.map(\.canonical).joined(separator: "\u{1F}") + "\u{1E}").utf8))
            rows += 1
        }

        func finish() -> String { hasher.finalize().map { String(format: "%02x", $0) }.joined() }
    }

    /// Copies everything in `source` into `destination` (empty, migrated); the tables with counts and checksums.
    public static func copy(from source: SQLiteStore, to destination: PostgresStore) async throws(StoreError)
        -> [Table]
    {
        let applied = try source.appliedMigrations()
        let known = Set(PostgresStore.migrations.map(\.id))
        if let unknown = applied.first(where: { !known.contains($0) }) {
            throw StoreError("\(source.path) has migration `\(unknown)` that the PostgreSQL store does not know yet")
        }
        var extracted: [(Mapping, [[Value]], Table)] = []
        for mapping in tables {
            let columns = mapping.columns.map(\.sqlite).joined(separator: ", ")
            let order = mapping.order.replacingOccurrences(of: "workflow_id, idx", with: "workflowID, \"index\"")
            let rows = try source.read { db in
                try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(mapping.sqlite) ORDER BY \(order)").map { row in
                    mapping.columns.indices.map { value(row[$0] as DatabaseValue, mapping.columns[$0].kind) }
                }
            }
            var digest = Digest()
            for row in rows { digest.add(row) }
            extracted.append((mapping, rows, Table(name: mapping.sqlite, rows: digest.rows, checksum: digest.finish())))
        }
        try await destination.transaction { connection in
            for mapping in tables {
                for try await _ in try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT 1 FROM \(mapping.postgres) LIMIT 1"), logger: destination.logger)
                {
                    throw StoreError(
                        "\(destination.configuration) is not empty (table \(mapping.postgres) has rows); copy into a "
                            + "new database")
                }
            }
            for (mapping, rows, expected) in extracted {
                let names = mapping.columns.map(\.postgres)
                let placeholders = names.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
                let sql = "INSERT INTO \(mapping.postgres) (\(names.joined(separator: ", "))) VALUES (\(placeholders))"
                for row in rows {
                    var bindings = PostgresBindings(capacity: row.count)
                    for value in row { value.bind(into: &bindings) }
                    try await destination.execute(PostgresQuery(unsafeSQL: sql, binds: bindings), on: connection)
                }
                if let serial = mapping.serial {
                    try await destination.execute(
                        PostgresQuery(
                            unsafeSQL: """
                                SELECT setval(pg_get_serial_sequence('\(mapping.postgres)', '\(serial)'),
                                  coalesce(max(\(serial)), 0) + 1, false) FROM \(mapping.postgres)
                                """), on: connection)
                }
                // Read back inside the transaction: commit only what verifies.
                var digest = Digest()
                let query = PostgresQuery(
                    unsafeSQL:
                        "SELECT \(names.joined(separator: ", ")) FROM \(mapping.postgres) ORDER BY \(mapping.order)")
                for try await row in try await connection.query(query, logger: destination.logger) {
                    var values: [Value] = []
                    for (index, cell) in row.enumerated() {
                        values.append(try value(cell, mapping.columns[index].kind))
                    }
                    digest.add(values)
                }
                let copied = Table(name: mapping.sqlite, rows: digest.rows, checksum: digest.finish())
                guard copied == expected else {
                    throw StoreError(
                        "\(mapping.sqlite): \(expected.rows) rows (sha256 \(expected.checksum.prefix(12))) in SQLite but "
                            + "\(copied.rows) (\(copied.checksum.prefix(12))) read back from PostgreSQL; nothing copied"
                    )
                }
            }
        }
        return extracted.map(\.2)
    }
}

extension SQLiteStore {
    /// Rows per table (for `db status`).
    public func rowCounts() throws(StoreError) -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for mapping in StoreCopy.tables {
                counts[mapping.postgres] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(mapping.sqlite)") ?? 0
            }
            return counts
        }
    }
}

extension PostgresStore {
    /// Rows per table (for `db status`).
    public func rowCounts() async throws(StoreError) -> [String: Int] {
        var counts: [String: Int] = [:]
        for mapping in StoreCopy.tables {
            counts[mapping.postgres] =
                try await rows(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(mapping.postgres)")) {
                    Int(try $0.decode(Int64.self))
                }.first ?? 0
        }
        return counts
    }
}

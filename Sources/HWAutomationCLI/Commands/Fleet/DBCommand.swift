import ArgumentParser
import Foundation
import Logging
import Store

/// `hwautomation db`.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "The store: schema status, migrations, and moving an installation from SQLite to PostgreSQL.",
        subcommands: [DBStatusCommand.self, DBMigrateCommand.self, DBCopyCommand.self])
}

/// What `db status` and `db migrate` print.
struct DBStatus: Encodable {
    var backend: String
    var location: String
    var migrations: [String]
    var rows: [String: Int]

    static func of(_ store: any Store) async throws -> DBStatus {
        do {
            if let sqlite = store as? SQLiteStore {
                return DBStatus(
                    backend: "sqlite", location: sqlite.path, migrations: try sqlite.appliedMigrations(),
                    rows: try sqlite.rowCounts())
            }
            if let postgres = store as? PostgresStore {
                return DBStatus(
                    backend: "postgresql", location: postgres.configuration.description,
                    migrations: try await postgres.appliedMigrations(), rows: try await postgres.rowCounts())
            }
        } catch {
            throw CommandFailure("\(error)")
        }
        throw CommandFailure("this store keeps no schema")
    }

    var text: String {
        var lines = ["\(backend): \(location)", "migrations applied:"] + migrations.map { "  \($0)" }
        lines.append("rows:")
        lines += rows.keys.sorted().map {
            "  \($0.padding(toLength: 16, withPad: " ", startingAt: 0)) \(rows[$0] ?? 0)"
        }
        return lines.joined(separator: "\n")
    }
}

struct DBStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Which store, its applied migrations, and its rows per table.")

    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let status = try await DBStatus.of(try await store.open())
        print(json ? try Terminal.json(status) : status.text)
    }
}

struct DBMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring the store's schema up to date (every command does this on open; this does only that).")

    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let status = try await DBStatus.of(try await store.open())
        print(json ? try Terminal.json(status) : status.text)
    }
}

struct DBCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy every row of a SQLite store into a new, empty PostgreSQL database, verified before commit.",
        discussion: """
            Ids, event numbers and sealed credentials are kept as they are: use the same credential key file \
            (--key-file) with the PostgreSQL store afterwards. The copy is one transaction, committed only when \
            each table's row count and checksum read back from PostgreSQL equal SQLite's; on any error nothing is \
            written. The PostgreSQL password comes from PGPASSWORD or HWA_DATABASE_PASSWORD_FILE.
            """)

    @Option(help: ArgumentHelp("The SQLite database (a path, or sqlite:PATH).", valueName: "path")) var from: String
    @Option(help: ArgumentHelp("The PostgreSQL database (postgres://user@host:5432/db).", valueName: "url")) var to:
        String
    @Option(
        name: .customLong("key-file"),
        help: ArgumentHelp("The credential key file (default: the one beside the SQLite file).", valueName: "path"))
    var keyFile: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard PostgresConfiguration.isURL(to) else { throw ValidationError("--to must be a postgres:// URL") }
        guard (URLComponents(string: to)?.password ?? "").isEmpty else {
            throw ValidationError("--to must not carry a password; use PGPASSWORD or HWA_DATABASE_PASSWORD_FILE")
        }
    }

    func run() async throws {
        let path = from.hasPrefix("sqlite:") ? String(from.dropFirst(7)) : from
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure("\(path) does not exist")
        }
        var options = StoreOptions()
        options.db = path
        options.keyFile = keyFile
        let source = try await options.open()
        options.db = to
        let destination = try await options.open()
        guard let sqlite = source as? SQLiteStore, let postgres = destination as? PostgresStore else {
            throw CommandFailure("copy goes from a SQLite file to a PostgreSQL URL")
        }
        let tables: [StoreCopy.Table]
        do {
            tables = try await StoreCopy.copy(from: sqlite, to: postgres)
        } catch {
            throw CommandFailure("\(error)")
        }
        if json {
            print(try Terminal.json(tables))
            return
        }
        var table = TextTable(["TABLE", "ROWS", "SHA256"])
        for entry in tables { table.add([entry.name, "\(entry.rows)", String(entry.checksum.prefix(16))]) }
        print(table.render())
        print("copied \(tables.reduce(0) { $0 + $1.rows }) rows into \(postgres.configuration); every table verified")
    }
}

import ArgumentParser
import Foundation
import Logging
import Store

/// Where the store and the credential key are.
struct StoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "SQLite database file, or a PostgreSQL URL postgres://user@host:5432/db (password from PGPASSWORD or "
                + "HWA_DATABASE_PASSWORD_FILE, never in the URL on a command line). Default: $HWA_DATABASE_URL, else "
                + "$HWA_STATE_DIR/hwautomation.sqlite, else ~/.local/share/hwautomation/.", valueName: "path|url"))
    var db: String?

    @Option(
        name: .customLong("key-file"),
        help: ArgumentHelp(
            "Credential key file (created 0600 if absent). Default: the .key file beside --db if there is one, else "
                + "$HWA_STATE_DIR/credentials.key.", valueName: "path"))
    var keyFile: String?

    static var stateDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        if let state = environment["HWA_STATE_DIR"], !state.isEmpty { return state }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share/hwautomation"
    }

    /// Opens the store, or prints why not and exits 1.
    /// The key beside `--db` (`x.sqlite` → `x.key`) when there is one there, else the state directory's.
    var defaultKeyFile: String {
        if let db, !PostgresConfiguration.isURL(db) {
            let beside = (db as NSString).deletingPathExtension + ".key"
            if FileManager.default.fileExists(atPath: beside) { return beside }
        }
        return Self.stateDirectory + "/credentials.key"
    }

    func open() async throws -> any Store {
        let environment = ProcessInfo.processInfo.environment
        if let db, PostgresConfiguration.isURL(db), (URLComponents(string: db)?.password ?? "").isEmpty == false {
            throw CommandFailure(
                "--db must not carry a password (command lines are visible to every user); use PGPASSWORD "
                    + "or HWA_DATABASE_PASSWORD_FILE, or put the URL in HWA_DATABASE_URL")
        }
        let target = db ?? environment["HWA_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            let box = try SecretBox.keyFile(keyFile ?? defaultKeyFile)
            if let target, PostgresConfiguration.isURL(target) {
                var logger = Logger(label: "hwautomation.store")
                logger.logLevel = .warning
                return try await PostgresStore.open(PostgresConfiguration(url: target), box: box, logger: logger)
            }
            return try SQLiteStore(path: target ?? Self.stateDirectory + "/hwautomation.sqlite", box: box)
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}

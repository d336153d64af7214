import ArgumentParser
import Foundation
import Store

/// Where the store and the credential key are.
struct StoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "SQLite database file. Default: $HWA_STATE_DIR/hwautomation.sqlite, else ~/.local/share/hwautomation/.",
            valueName: "path"))
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
        if let db {
            let beside = (db as NSString).deletingPathExtension + ".key"
            if FileManager.default.fileExists(atPath: beside) { return beside }
        }
        return Self.stateDirectory + "/credentials.key"
    }

    func open() throws -> any Store {
        do {
            let box = try SecretBox.keyFile(keyFile ?? defaultKeyFile)
            return try SQLiteStore(path: db ?? Self.stateDirectory + "/hwautomation.sqlite", box: box)
        } catch {
            Terminal.printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}

/// Runs a store call, printing its error as one line and exiting 1.
func storeCall<T>(_ body: () async throws(StoreError) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        Terminal.printError("error: \(error)")
        throw ExitCode(1)
    }
}

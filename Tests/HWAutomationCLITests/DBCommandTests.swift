import Foundation
import Logging
import Remote
import Store
import TestSupport
import Testing

/// `hwautomation db`: moving the demo's SQLite store to PostgreSQL without losing a row.
@Suite("hwautomation db")
struct DBCommandTests {
    @Test(
        "db copy from the demo's SQLite to PostgreSQL keeps every row (counts and checksums); commands then use it",
        .enabled(if: Peer.postgres.enabled))
    func copyDemo() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-dbcopy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("demo.sqlite").path
        let demo = try await CLI.run(
            ["demo", "--nodes", "6", "--unknown", "1", "--post-seconds", "0.5", "--db", db], timeout: .seconds(300))
        #expect(demo.exitCode == 0, "\(demo.stderr)")
        // A drift check too (the demo runs none), so every table has a row to carry.
        let stored = try SQLiteStore(
            path: db, box: try SecretBox.keyFile(folder.appendingPathComponent("demo.key").path))
        try await stored.recordDrift(
            DriftRecord(
                serverID: "demo-node-01", deviceType: nil, state: .drifted,
                settings: [
                    DriftSetting(
                        setting: "BootMode", attribute: "BootMode", current: "Legacy", desired: "UEFI", fate: "change",
                        reason: nil)
                ]))
        // A new database for the copy, made with psql (its password in the environment, never on argv).
        let base = try Peer.value("HWA_TEST_POSTGRES_URL")
        let passwordFile = try Peer.value("HWA_TEST_POSTGRES_PASSWORD_FILE")
        let name = "copy_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        _ = try await ProcessRunner(logger: Logger(label: "db-tests")).check(
            Command(
                "psql", [base, "-XAtc", "CREATE DATABASE \(name)"],
                environment: ["PGPASSWORD": try Peer.secret("HWA_TEST_POSTGRES_PASSWORD_FILE")]))
        let target = base.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
        let environment = ["HWA_DATABASE_PASSWORD_FILE": passwordFile]
        let source = try await CLI.run(["db", "status", "--db", db, "--json"], environment: environment)
        let sourceRows = try #require((try CLI.json(source.stdout) as? [String: Any])?["rows"] as? [String: Int])
        #expect(sourceRows["event"] ?? 0 > 20)
        let copy = try await CLI.run(
            ["db", "copy", "--from", "sqlite:" + db, "--to", target, "--json"], environment: environment)
        #expect(copy.exitCode == 0, "\(copy.stderr)")
        let tables = try #require(try CLI.json(copy.stdout) as? [[String: Any]])
        #expect(tables.count == 11)
        for table in tables { #expect(table["checksum"] as? String != nil) }
        let key = folder.appendingPathComponent("demo.key").path
        let copied = try await CLI.run(
            ["db", "status", "--db", target, "--key-file", key, "--json"], environment: environment)
        let copiedRows = try #require((try CLI.json(copied.stdout) as? [String: Any])?["rows"] as? [String: Int])
        #expect(copiedRows == sourceRows)
        #expect(copiedRows["drift"] == 1)
        // The copied store works: its servers, workflows and sealed credentials read back with the same key.
        let servers = try await CLI.run(
            ["servers", "list", "--db", target, "--key-file", key, "--json"], environment: environment)
        #expect(servers.exitCode == 0, "\(servers.stderr)")
        #expect(servers.stdout.contains("demo-node-01"))
        let credentials = try await CLI.run(
            ["credentials", "list", "--db", target, "--key-file", key], environment: environment)
        #expect(credentials.stdout.contains("demo-lab"))
        // Their bindings came along (and still open: they are sealed with the secret).
        #expect(
            credentials.stdout.split(separator: "\n").contains { $0.hasPrefix("demo-lab") && $0.contains("127.0.0.1") })
        // A second copy into the same database is refused, and changes nothing.
        let again = try await CLI.run(["db", "copy", "--from", db, "--to", target], environment: environment)
        #expect(again.exitCode == 1)
        #expect(again.stderr.contains("is not empty (table server has rows)"))
        // A password on the command line is refused before anything connects.
        let leaky = try await CLI.run(["db", "status", "--db", "postgres://hwa:pw@127.0.0.1:1/x"])
        #expect(leaky.exitCode == 1)
        #expect(leaky.stderr.contains("must not carry a password"))
    }
}

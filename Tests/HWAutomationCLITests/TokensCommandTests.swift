import Foundation
import Store
import TestSupport
import Testing

/// `hwautomation tokens`: the secret is printed once and stored only as a digest; list never shows it; revoke.
@Suite("tokens command")
struct TokensCommandTests {
    @Test("create prints the secret once, the store keeps its SHA-256; list and revoke; bad scope refused")
    func lifecycle() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-tokens-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let environment = ["HWA_STATE_DIR": state.path]
        let created = try await CLI.run(["tokens", "create", "ci", "--scope", "admin"], environment: environment)
        #expect(created.exitCode == 0, "\(created.stderr)")
        let secret = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("hwa_") && secret.count > 40)
        #expect(created.stderr.contains("shown once"))

        let list = try await CLI.run(["tokens", "list", "--json"], environment: environment)
        #expect(list.exitCode == 0)
        #expect(!list.stdout.contains(secret) && list.stdout.contains("\"admin\""))
        let database = try Data(contentsOf: state.appendingPathComponent("hwautomation.sqlite"))
        #expect(database.range(of: Data(secret.utf8)) == nil, "the secret is not in the database")
        #expect(database.range(of: Data(APIToken.digest(of: secret).utf8)) != nil, "its digest is")

        let twice = try await CLI.run(["tokens", "create", "ci"], environment: environment)
        #expect(twice.exitCode == 1 && twice.stderr.contains("exists"))
        let badScope = try await CLI.run(["tokens", "create", "x", "--scope", "root"], environment: environment)
        #expect(badScope.exitCode != 0 && badScope.stderr.contains("--scope"))
        #expect(try await CLI.run(["tokens", "revoke", "ci"], environment: environment).exitCode == 0)
        let again = try await CLI.run(["tokens", "revoke", "ci"], environment: environment)
        #expect(again.exitCode == 1 && again.stderr.contains("no working token ci"))
    }

    @Test("operator scope and --expires; list shows scope, state, expiry and last use; bad durations refused")
    func expiry() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-tokens-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let environment = ["HWA_STATE_DIR": state.path]
        let created = try await CLI.run(
            ["tokens", "create", "ops", "--scope", "operator", "--expires", "30d"], environment: environment)
        #expect(created.exitCode == 0, "\(created.stderr)")
        let list = try await CLI.run(["tokens", "list", "--json"], environment: environment)
        let tokens = try #require(
            try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        let token = try #require(tokens.first)
        #expect(token["scope"] as? String == "operator")
        #expect(token["state"] as? String == "working")
        #expect(token["last_used"] == nil, "never used yet")
        let expires = try #require(token["expires"] as? String)
        let date = try #require(ISO8601DateFormatter().date(from: expires))
        #expect(abs(date.timeIntervalSinceNow - 30 * 86_400) < 3600)
        let table = try await CLI.run(["tokens", "list"], environment: environment)
        #expect(table.stdout.contains("LAST USED") && table.stdout.contains("never"))
        for bad in ["0d", "30", "-1d", "1y", "x"] {
            let refused = try await CLI.run(
                ["tokens", "create", "t\(bad.count)", "--expires", bad], environment: environment)
            #expect(refused.exitCode != 0 && refused.stderr.contains("--expires"), "\(bad)")
        }
    }
}

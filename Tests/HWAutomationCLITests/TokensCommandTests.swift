import Foundation
import Store
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
}

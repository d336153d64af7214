import Foundation
import TestSupport
import Testing

/// The catalog commands, run as a new user would run them.
@Suite("hwautomation catalog")
struct CatalogCommandTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let legacy = repositoryRoot.deletingLastPathComponent().appendingPathComponent(
        "shared/reference/hwautomation-configs"
    )
    .path

    @Test("--help lists every command with one line of purpose")
    func help() async throws {
        let result = try await CLI.run(["--help"])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("catalog"))
        let catalog = try await CLI.run(["catalog", "--help"])
        for command in ["list", "show", "status", "validate", "import"] {
            #expect(catalog.stdout.contains("  \(command) "), "catalog --help lacks \(command)")
        }
    }

    @Test("status --json with no config dir: the shipped catalog, ≥ 44 types, hpe and supermicro")
    func shippedStatus() async throws {
        let result = try await CLI.run(["catalog", "status", "--json"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let status = try #require(try CLI.json(result.stdout) as? [String: Any])
        #expect(status["source"] as? String == "shipped")
        #expect((status["device_types"] as? Int ?? 0) >= 44)
        let vendors = try #require(status["vendors"] as? [String])
        #expect(vendors.contains("hpe") && vendors.contains("supermicro"))
    }

    @Test(
        "status --json on the legacy dir: 44 unified, 87 legacy, 90 templates, 3 rule sets, 3 firmware vendors, 4 policies"
    )
    func legacyStatus() async throws {
        let result = try await CLI.run(["catalog", "status", "--json", "--config-dir", Self.legacy])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let status = try #require(try CLI.json(result.stdout) as? [String: Any])
        #expect(status["source"] as? String == "legacy")
        let files = try #require(status["legacy_files"] as? [String: Any])
        #expect(files["unified_types"] as? Int == 44)
        #expect(files["legacy_types"] as? Int == 87)
        #expect(status["device_types"] as? Int == 110)
        #expect((status["legacy_only_types"] as? [String])?.count == 66)
        let templates = try #require(status["templates"] as? [String: Any])
        #expect(templates["indexed"] as? Int == 90)
        #expect(templates["unparseable"] as? Int == 0)
        #expect(templates["sum_bioscfg"] as? Int == 87)
        #expect(templates["bios_config"] as? Int == 3)
        #expect(status["template_rules"] as? [String] == ["s2.c2.large", "s2.c2.medium", "s2.c2.small"])
        #expect(status["preserve_patterns"] as? Int == 40)
        #expect(status["firmware_vendors"] as? [String] == ["dell", "hpe", "supermicro"])
        #expect(status["update_policies"] as? [String] == ["latest", "manual", "recommended", "security_only"])
    }

    @Test("HWA_CONFIG_DIR selects the directory like --config-dir")
    func environmentVariable() async throws {
        let result = try await CLI.run(["catalog", "status", "--json"], environment: ["HWA_CONFIG_DIR": Self.legacy])
        let status = try #require(try CLI.json(result.stdout) as? [String: Any])
        #expect(status["source"] as? String == "legacy")
    }

    @Test("validate on the legacy dir: warnings only (identical pair, whitespace keys), exit 0; --json objects")
    func validateLegacy() async throws {
        let result = try await CLI.run(["catalog", "validate", "--config-dir", Self.legacy])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("flex-6258R.c.medium"))
        #expect(result.stdout.contains("bios/device_mappings.yaml:1353:3: warning: the type key 'd3.m4.xlarge '"))
        let json = try await CLI.run(["catalog", "validate", "--json", "--config-dir", Self.legacy])
        let problems = try #require(try CLI.json(json.stdout) as? [[String: Any]])
        #expect(!problems.isEmpty)
        #expect(
            problems.allSatisfy {
                $0["severity"] as? String == "warning" && $0["file"] is String && $0["message"] is String
            })
        #expect(problems.contains { $0["code"] as? String == "identical-specs" && ($0["line"] as? Int) != nil })
    }

    @Test("validate exits 1 on an error and names the file and line")
    func validateError() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("devices"), withIntermediateDirectories: true)
        let text = "device_configuration:\n  vendors:\n    acme:\n      display_name: [unclosed\n"
        try Data(text.utf8).write(to: directory.appendingPathComponent("devices/unified_device_config.yaml"))
        let result = try await CLI.run(["catalog", "validate", "--config-dir", directory.path])
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("devices/unified_device_config.yaml:5:1: error: YAML syntax error"))
        let status = try await CLI.run(["catalog", "status", "--config-dir", directory.path])
        #expect(status.exitCode == 1)
        #expect(status.stderr.contains("unified_device_config.yaml:5:1"))
        let missing = try await CLI.run([
            "catalog", "list", "--config-dir", directory.appendingPathComponent("nope").path,
        ])
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("does not exist"))
    }

    @Test("list filters by vendor and refuses an unknown one")
    func list() async throws {
        let hpe = try await CLI.run(["catalog", "list", "--vendor", "hpe", "--json"])
        let types = try #require(try CLI.json(hpe.stdout) as? [[String: Any]])
        #expect(types.count == 17)
        #expect(types.allSatisfy { $0["vendor"] as? String == "hpe" })
        let table = try await CLI.run(["catalog", "list"])
        #expect(table.stdout.contains("s2.c2.small"))
        #expect(table.stdout.contains("2x 10Gbps"))
        let unknown = try await CLI.run(["catalog", "list", "--vendor", "acme"])
        #expect(unknown.exitCode == 1)
        #expect(unknown.stderr.contains("unknown vendor `acme`"))
    }

    @Test("show prints a type's hardware, rules and templates; unknown types get suggestions")
    func show() async throws {
        let result = try await CLI.run(["catalog", "show", "s2_c2_large"])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("s2.c2.large"))
        #expect(result.stdout.contains("AVX512 = Enabled"))
        #expect(result.stdout.contains("s2_c2_large.xml (bios_config"))
        let json = try await CLI.run(["catalog", "show", "a1.c5.large", "--json"])
        let report = try #require(try CLI.json(json.stdout) as? [String: Any])
        #expect(report["effective_bios_method"] as? String == "hybrid")
        let unknown = try await CLI.run(["catalog", "show", "s2.c2.smal"])
        #expect(unknown.exitCode == 1)
        #expect(unknown.stderr.contains("Did you mean: s2.c2.small"))
    }

    @Test("import writes our schema from the legacy dir; validate accepts the result; a non-catalog target is refused")
    func importCatalog() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("configs").path
        let result = try await CLI.run(["catalog", "import", "--from", Self.legacy, "--to", target])
        #expect(result.exitCode == 0, "\(result.stderr)")
        // The legacy set's 110 types and our own three (Dell), carried over from the shipped catalog.
        #expect(result.stdout.contains("Imported 113 device types"))
        let validate = try await CLI.run(["catalog", "validate", "--config-dir", target])
        #expect(validate.exitCode == 0)
        let foreign = directory.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: foreign.appendingPathComponent("notes"))
        let refused = try await CLI.run(["catalog", "import", "--from", Self.legacy, "--to", foreign.path])
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("refusing to overwrite"))
    }
}

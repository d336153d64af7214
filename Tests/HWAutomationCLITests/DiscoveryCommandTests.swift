import Catalog
import Foundation
import Inventory
import Lab
import Redfish
import TestSupport
import Testing

/// discover / classify / recommend / bench, run as an operator runs them.
@Suite("hwautomation discover, classify, recommend")
struct DiscoveryCommandTests {
    static func temporary() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("hwa-cli-\(UUID().uuidString)")
    }

    /// A bundle of a synthetic `s2.c1.medium` written where the CLI can read it.
    static func bundle(of name: String) throws -> URL {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: name))
        let folder = temporary()
        try ServerModel(deviceType: type, index: 7).discoveryBundle().write(to: folder)
        return folder
    }

    @Test(
        "discover --ssh against the sshd peer saves a bundle that classify and recommend read",
        .enabled(if: Peer.ssh.enabled))
    func discoverSSH() async throws {
        let folder = Self.temporary()
        let knownHosts = Self.temporary().path
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(atPath: knownHosts)
        }
        let result = try await CLI.run([
            "discover", "--ssh", "\(try Peer.value("HWA_TEST_SSH_USER"))@\(try Peer.value("HWA_TEST_SSH_HOST"))",
            "--port", try Peer.value("HWA_TEST_SSH_PORT"), "--key", try Peer.value("HWA_TEST_SSH_KEY"), "--known-hosts",
            knownHosts,
            "--save-bundle", folder.path, "--json",
        ])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let inventory = try JSONDecoder().decode(Inventory.self, from: Data(result.stdout.utf8))
        #expect(inventory.system.serial == "SN-0001")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("dmidecode.txt").path))
        let classify = try await CLI.run(["classify", "--from-bundle", folder.path])
        #expect(classify.exitCode == 0)
        #expect(classify.stdout.contains("unknown hardware"))
        #expect(classify.stdout.contains("proposed catalog entry"))
        let recommend = try await CLI.run(["recommend", "--from-bundle", folder.path])
        #expect(recommend.stdout.contains("workflow:    manual-review"))
    }

    @Test(
        "discover --redfish needs a password from the environment, never the command line",
        .enabled(if: Peer.redfishTLS.enabled))
    func discoverRedfish() async throws {
        let arguments = [
            "discover", "--redfish", try Peer.value("HWA_TEST_REDFISH_TLS_URL"), "--user",
            try Peer.value("HWA_TEST_REDFISH_USER"),
            "--password-env", "HWA_BMC_PASSWORD", "--ca-file", try Peer.value("HWA_TEST_REDFISH_CA"),
            "--system", "11111111-2222-3333-4444-555555555501", "--json",
        ]
        let password = try Peer.secret("HWA_TEST_REDFISH_PASSWORD_FILE")
        // sushy-tools checks a bcrypt hash on every Basic-auth request (~0.2 s each, 30-odd requests): under the
        // whole suite's load this takes minutes, so the limit is generous.
        let result = try await CLI.run(
            arguments, environment: ["HWA_BMC_PASSWORD": password], timeout: .seconds(600))
        // sushy-tools' libvirt driver answers Storage with 500: the inventory is printed, and discover fails naming
        // the section the classifier needs and what could not be read.
        #expect(result.exitCode == 1, "\(result.stderr)")
        #expect(result.stderr.contains("the inventory has no storage"), "\(result.stderr)")
        #expect(result.stderr.contains("/Storage"), "\(result.stderr)")
        let inventory = try JSONDecoder().decode(Inventory.self, from: Data(result.stdout.utf8))
        #expect(inventory.memory.totalGiB == 16)
        #expect(!result.stdout.contains(password))
        let missing = try await CLI.run(arguments)
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("HWA_BMC_PASSWORD is not set"))
    }

    @Test("classify --json and --explain on a bundle of a known type; recommend says how to commission it")
    func classify() async throws {
        let folder = try Self.bundle(of: "s2.c1.medium")
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = try await CLI.run(["classify", "--from-bundle", folder.path, "--json"])
        #expect(json.exitCode == 0, "\(json.stderr)")
        let result = try JSONDecoder().decode(Classification.self, from: Data(json.stdout.utf8))
        #expect(result.deviceType == "s2.c1.medium")
        #expect(result.confidence == .high)
        #expect(result.runnerUp != nil)
        let explain = try await CLI.run(["classify", "--from-bundle", folder.path, "--explain"])
        #expect(explain.stdout.contains("s2.c1.medium  (confidence high"))
        #expect(explain.stdout.contains("storage: matched"))
        let recommend = try await CLI.run(["recommend", "--from-bundle", folder.path, "--json"])
        let recommendation = try JSONDecoder().decode(WorkflowRecommendation.self, from: Data(recommend.stdout.utf8))
        #expect(recommendation.workflow == .intelligentCommissioning)
        #expect(recommendation.deviceType == "s2.c1.medium")
        #expect(recommendation.biosMethod == .hybrid)
    }

    @Test("classify of an ambiguous pair names both; an inventory file works like a bundle")
    func ambiguous() async throws {
        let folder = try Self.bundle(of: "flex-6258R.c.medium")
        defer { try? FileManager.default.removeItem(at: folder) }
        let discover = try await CLI.run(["discover", "--from-bundle", folder.path, "--json"])
        let file = folder.appendingPathComponent("inventory.json")
        try Data(discover.stdout.utf8).write(to: file)
        let result = try await CLI.run(["classify", "--inventory", file.path])
        #expect(result.stdout.contains("ambiguous: flex-6258R.c.large, flex-6258R.c.medium"))
    }

    @Test("bad input: a missing bundle, a non-inventory file, both or neither source")
    func badInput() async throws {
        let missing = try await CLI.run(["classify", "--from-bundle", "/nonexistent/bundle"])
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("the bundle folder does not exist"))
        let folder = Self.temporary()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("x.json")
        try Data("[1,2".utf8).write(to: file)
        let garbage = try await CLI.run(["classify", "--inventory", file.path])
        #expect(garbage.exitCode == 1)
        #expect(garbage.stderr.contains("not an inventory"))
        let neither = try await CLI.run(["classify"])
        #expect(neither.exitCode != 0)
        #expect(neither.stderr.contains("exactly one of --from-bundle"))
    }

    @Test("bench classify prints a JSON report")
    func bench() async throws {
        let result = try await CLI.run(["bench", "classify", "--count", "500", "--json"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["inventories"] as? Int == 500)
        #expect(report["seconds"] is Double || report["seconds"] is Int)
        #expect((report["matched"] as? Int ?? 0) > 400)
        #expect(report["one_job_seconds"] is Double || report["one_job_seconds"] is Int)
        // Split over jobs, the batch is the same batch: every inventory classified once, the same ones matched.
        let split = try await CLI.run(["bench", "classify", "--count", "500", "--jobs", "3"])
        let splitReport = try #require(
            try JSONSerialization.jsonObject(with: Data(split.stdout.utf8)) as? [String: Any])
        #expect(splitReport["jobs"] as? Int == 3)
        #expect(splitReport["matched"] as? Int == report["matched"] as? Int)
    }
}

/// `hwautomation lab serve`, as far as it can be run to completion: bad configurations are refused up front.
@Suite("hwautomation lab")
struct LabCommandTests {
    @Test("a configuration naming an unknown type, or one that is not YAML, is refused with its file named")
    func badConfig() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lab-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("types: [no.such.type]\n".utf8).write(to: file)
        let unknown = try await CLI.run(["lab", "serve", "--config", file.path, "--port", "0"])
        #expect(unknown.exitCode == 1)
        #expect(unknown.stderr.contains("no.such.type"))
        try Data("nodes: [oops\n".utf8).write(to: file)
        let broken = try await CLI.run(["lab", "serve", "--config", file.path, "--port", "0"])
        #expect(broken.exitCode == 1)
        #expect(broken.stderr.contains(file.path))
    }
}

/// `hwautomation bios`, against a lab served by the test process.
@Suite("hwautomation bios")
struct BIOSCommandTests {
    @Test(
        "plan, apply --json (request count), a second apply that does nothing, restore; password only in the environment"
    )
    func planApplyRestore() async throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        var settings = SimulatedBMC.Settings()
        settings.password = "lab-secret-\(UInt32.random(in: 0...UInt32.max))"
        settings.postSeconds = 0
        // A plain Redfish BMC (the lab's generic profile), whose registry lacks some of the type's settings.
        settings.profile = .generic
        let password = settings.password
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], settings: settings)
        let backups = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-cli-bios-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: backups) }
        try await lab.withServer { port in
            let target = [
                "--redfish", Lab.baseURL(port: port, index: 0).absoluteString, "--user", "admin", "--password-env",
                "LAB_PW",
            ]
            let environment = ["LAB_PW": password]
            let plan = try await CLI.run(["bios", "plan", "--type", "s2.c2.small"] + target, environment: environment)
            #expect(plan.exitCode == 0, "\(plan.stderr)")
            #expect(plan.stdout.contains("BootMode"))
            #expect(plan.stdout.contains("change"))
            let dry = try await CLI.run(
                ["bios", "apply", "--type", "s2.c2.small", "--dry-run"] + target, environment: environment)
            #expect(dry.stdout.contains("dry run: nothing sent."))
            #expect(dry.stdout.contains("PATCH /bmc/0/redfish/v1/Systems/1/Bios/Settings"))
            #expect(dry.stdout.contains("\"ApplyTime\":\"OnReset\""))
            #expect(lab.nodes[0].withState { $0.counters.patches } == 0)
            let apply = try await CLI.run(
                ["bios", "apply", "--type", "s2.c2.small", "--json", "--backup-dir", backups.path] + target,
                environment: environment)
            // The generic registry lacks settings s2.c2.small's template needs (SGX, C-States): they are named as not
            // applied and the command exits 1, while everything the BMC has is applied.
            #expect(apply.exitCode == 1, "\(apply.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(apply.stdout.utf8)) as? [String: Any])
            #expect(report["patched"] as? Bool == true)
            #expect((report["requests"] as? Int ?? 99) <= 6)
            let counters = try #require(report["counters"] as? [String: Any])
            #expect(counters["sessions_created"] as? Int == 1)
            #expect(lab.nodes[0].withState { $0.counters.sessionsDeleted } >= 3)
            #expect(!apply.stdout.contains(password))
            let again = try await CLI.run(
                ["bios", "apply", "--type", "s2.c2.small"] + target, environment: environment)
            #expect(again.stdout.contains("nothing to change: no PATCH, no reset."))
            let backup = try #require(report["backup"] as? String)
            let restore = try await CLI.run(
                ["bios", "restore", "--backup", backup, "--backup-dir", backups.path] + target, environment: environment
            )
            #expect(restore.exitCode == 0, "\(restore.stderr)")
            #expect(lab.nodes[0].withState { $0.attribute("BootMode") } == .string("Legacy"))
            #expect(lab.nodes[0].withState { $0.counters.resets } == 2)
        }
    }

    @Test("without --backup-dir the backup goes to the store, and restore takes it back by id")
    func storeBackups() async throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], settings: settings)
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-state-\(UUID().uuidString)").path
        try await lab.withServer { port in
            let target = [
                "--redfish", Lab.baseURL(port: port, index: 0).absoluteString, "--user", "admin", "--password-env",
                "LAB_PW",
            ]
            let environment = ["LAB_PW": "password", "HWA_STATE_DIR": state]
            let apply = try await CLI.run(
                ["bios", "apply", "--type", "s2.c2.small", "--json"] + target, environment: environment)
            // The lab's Supermicro registry has every setting s2.c2.small wants (by its menu names): all applied.
            #expect(apply.exitCode == 0, "\(apply.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(apply.stdout.utf8)) as? [String: Any])
            #expect((report["not_applied"] as? [Any])?.isEmpty == true, "\(apply.stdout)")
            let reference = try #require(report["backup"] as? String)
            #expect(reference.hasPrefix("store:#"))
            let restore = try await CLI.run(
                ["bios", "restore", "--backup-id", String(reference.dropFirst("store:#".count))] + target,
                environment: environment)
            #expect(restore.exitCode == 0, "\(restore.stderr)")
            #expect(lab.nodes[0].withState { $0.attribute("Bootmodeselect") } == .string("Legacy"))
        }
    }

    @Test("bios template writes SUM XML that the template parser reads back")
    func template() async throws {
        let result = try await CLI.run(["bios", "template", "s2.c2.small"])
        #expect(result.exitCode == 0)
        let parsed = try BIOSTemplateXML.parse(Data(result.stdout.utf8), name: "out.xml", displayPath: "out.xml").get()
        #expect(parsed.format == .sumBiosCfg)
        #expect(parsed.settings.contains { $0.name == "Boot mode select" && $0.value == "UEFI" })
    }
}

/// Credentials, pools and the BMC automation user, through the CLI with a store in a temporary state folder.
@Suite("hwautomation credentials, pool, bmc automation-user", .serialized)
struct StoreCommandTests {
    static func state() -> [String: String] {
        [
            "HWA_STATE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent(
                "hwa-state-\(UUID().uuidString)"
            ).path
        ]
    }

    @Test("credentials are listed without secrets; pools hand out one address per server")
    func credentialsAndPools() async throws {
        var environment = Self.state()
        environment["SECRET_VAR"] = "very-secret-value"
        let set = try await CLI.run(
            ["credentials", "set", "maas", "--kind", "maas", "--from-env", "SECRET_VAR"], environment: environment)
        #expect(set.exitCode == 0, "\(set.stderr)")
        let list = try await CLI.run(["credentials", "list", "--json"], environment: environment)
        #expect(list.stdout.contains("\"maas\"") && !list.stdout.contains("very-secret-value"))
        _ = try await CLI.run(
            ["pool", "add", "r1", "--range", "10.1.0.0/29", "--exclude", "10.1.0.1"], environment: environment)
        let a = try await CLI.run(["pool", "assign", "r1", "--server", "A"], environment: environment)
        let b = try await CLI.run(["pool", "assign", "r1", "--server", "B"], environment: environment)
        let again = try await CLI.run(["pool", "assign", "r1", "--server", "A"], environment: environment)
        #expect(a.stdout == "10.1.0.2\n" && b.stdout == "10.1.0.3\n" && again.stdout == a.stdout)
        let bad = try await CLI.run(["pool", "add", "r2", "--range", "10.1.0.300/24"], environment: environment)
        #expect(bad.exitCode == 1 && bad.stderr.contains("10.1.0.300/24"))
    }

    @Test(
        "the automation user is created, logs in, and its password is stored, never printed",
        .enabled(if: Peer.ipmi.enabled))
    func automationUser() async throws {
        var environment = Self.state()
        environment["ADMIN_PW"] = try Peer.secret("HWA_TEST_IPMI_PASSWORD_FILE")
        let bmc = "\(try Peer.value("HWA_TEST_IPMI_HOST")):\(try Peer.value("HWA_TEST_IPMI_PORT"))"
        let result = try await CLI.run(
            [
                "bmc", "automation-user", "--bmc", bmc, "--user", try Peer.value("HWA_TEST_IPMI_USER"),
                "--password-env", "ADMIN_PW",
                "--name", "hwacli", "--slot", "5", "--credential", "bmc-lab",
            ], environment: environment)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("logs in"))
        let list = try await CLI.run(["credentials", "list"], environment: environment)
        #expect(list.stdout.contains("bmc-lab") && list.stdout.contains("hwacli"))
    }
}

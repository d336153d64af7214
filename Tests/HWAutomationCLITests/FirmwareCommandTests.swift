import Catalog
import Foundation
import Inventory
import Lab
import TestSupport
import Testing

/// `hwautomation firmware` as an operator runs it: the repository, then inventory, plan and update against a lab BMC.
@Suite("hwautomation firmware")
struct FirmwareCommandTests {
    @Test("add / list / verify; a tampered image makes verify fail naming it")
    func repository() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-fwcli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let file = root.appendingPathComponent("BMC_1.74.06.bin")
        try LabFirmwareImage.make(component: "bmc", version: "1.74.06").write(to: file)
        let repo = root.appendingPathComponent("firmware").path
        let added = try await CLI.run([
            "firmware", "add", file.path, "--vendor", "supermicro", "--component", "bmc", "--version", "1.74.06",
            "--priority", "high", "--security", "--firmware-dir", repo,
        ])
        #expect(added.exitCode == 0, "\(added.stderr)")
        #expect(added.stdout.contains("recorded supermicro/bmc/BMC_1.74.06.bin"))
        let listed = try await CLI.run(["firmware", "list", "--firmware-dir", repo])
        #expect(listed.stdout.contains("supermicro  bmc        1.74.06  high      yes"), "\(listed.stdout)")
        let verified = try await CLI.run(["firmware", "verify", "--firmware-dir", repo])
        #expect(verified.exitCode == 0)
        #expect(verified.stdout.contains("1 of 1 images verified"))
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: repo + "/supermicro/bmc/BMC_1.74.06.bin"))
        let failed = try await CLI.run(["firmware", "verify", "--firmware-dir", repo])
        #expect(failed.exitCode == 1)
        #expect(failed.stdout.contains("FAILED  supermicro/bmc/BMC_1.74.06.bin: the manifest records sha256"))
        let wrongComponent = try await CLI.run([
            "firmware", "add", file.path, "--vendor", "supermicro", "--component", "cpld", "--version", "1",
            "--firmware-dir", repo,
        ])
        #expect(wrongComponent.exitCode != 0)
        #expect(wrongComponent.stderr.contains("cpld"))
    }

    @Test("inventory, plan and update against a lab BMC: BMC then BIOS from our file server, one reset")
    func updateAgainstLab() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-fwcli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let repo = root.appendingPathComponent("firmware").path
        for (component, version) in [("bmc", "1.74.06"), ("bios", "1.6")] {
            let file = root.appendingPathComponent("\(component)-\(version).img")
            try LabFirmwareImage.make(component: component, version: version).write(to: file)
            let added = try await CLI.run([
                "firmware", "add", file.path, "--vendor", "supermicro", "--component", component, "--version",
                version, "--firmware-dir", repo,
            ])
            #expect(added.exitCode == 0, "\(added.stderr)")
        }
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0
        settings.password = "lab-secret-\(UUID().uuidString.prefix(6))"
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], settings: settings, clock: ManualLabClock())
        let password = settings.password
        let environment = ["BMC_PW": password]
        try await lab.withServer { port in
            let bmc = ["--redfish", Lab.baseURL(port: port, index: 0).absoluteString, "--user", "admin"]
            let login = bmc + ["--password-env", "BMC_PW"]
            let inventory = try await CLI.run(
                ["firmware", "inventory"] + login + ["--json"], environment: environment)
            #expect(inventory.exitCode == 0, "\(inventory.stderr)")
            #expect(inventory.stdout.contains("\"version\" : \"1.73.14\""))
            let plan = try await CLI.run(
                ["firmware", "plan"] + login + ["--policy", "latest", "--firmware-dir", repo],
                environment: environment)
            #expect(plan.exitCode == 0, "\(plan.stderr)")
            #expect(plan.stdout.contains("2 update(s), BMC first; one host reset (BIOS staged)"), "\(plan.stdout)")
            let dryRun = try await CLI.run(
                ["firmware", "update"] + login + ["--policy", "latest", "--dry-run", "--firmware-dir", repo],
                environment: environment)
            #expect(dryRun.exitCode == 0, "\(dryRun.stderr)")
            #expect(dryRun.stdout.contains("dry run: images verified; nothing sent"))
            #expect(lab.nodes[0].withState { $0.counters.firmwareUpdates } == 0)
            let update = try await CLI.run(
                ["firmware", "update"] + login + [
                    "--policy", "latest", "--transfer", "simple", "--serve", "127.0.0.1:0", "--firmware-dir", repo,
                ],
                environment: environment, timeout: .seconds(120))
            #expect(update.exitCode == 0, "\(update.stderr)")
            #expect(
                update.stdout.contains("bmc: 1.73.14 → 1.74.06 (simple-update, active, verified)"), "\(update.stdout)")
            #expect(update.stdout.contains("bios: 1.4 → 1.6 (simple-update, active, verified)"))
            #expect(!update.stdout.contains(password) && !update.stderr.contains(password))
            let counters = lab.nodes[0].withState { $0.counters }
            #expect(counters.resets == 1)
            #expect(counters.firmwareUpdates == 2)
            let again = try await CLI.run(
                ["firmware", "plan"] + login + ["--policy", "latest", "--firmware-dir", repo, "--json"],
                environment: environment)
            #expect(again.stdout.contains("\"decision\" : \"current\""), "\(again.stderr)")
            #expect(!again.stdout.contains("\"decision\" : \"install\""))
            let sessions = lab.nodes[0].withState { $0.counters }
            #expect(sessions.sessionsCreated == 5)
            #expect(sessions.sessionsDeleted == sessions.sessionsCreated, "every command ends its session")
        }
    }
}

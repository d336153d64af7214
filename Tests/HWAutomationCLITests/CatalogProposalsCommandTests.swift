import Catalog
import Foundation
import Inventory
import Lab
import Store
import TestSupport
import Testing

/// `hwautomation catalog proposals` and `... accept` as an operator runs them, over a store holding the inventories
/// of lab servers (two of one unknown build, one of a catalog type).
@Suite("hwautomation catalog proposals")
struct CatalogProposalsCommandTests {
    @Test("list (text and JSON) groups the unknown build; accept writes it; a bad, taken or unknown id or name: exit 1")
    func listAndAccept() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-cli-prop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: state) }
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let unknown = DeviceType(
            name: "lab.unknown", vendor: "supermicro", boards: ["H12SSL-i"],
            hardware: HardwareSpec(
                cpu: CPUSpec(model: "AMD EPYC 7313P", sockets: 1, cores: 16, frequencyGHz: 3.0), memoryGiB: 96,
                storage: [DriveGroup(count: 3, sizeGB: 3840, kind: .nvme)],
                network: [NICGroup(count: 2, speedGbps: 100)]))
        let models = [
            ServerModel(deviceType: try #require(catalog.deviceType(named: "s2.c2.small")), index: 1),
            ServerModel(deviceType: unknown, index: 2), ServerModel(deviceType: unknown, index: 3),
        ]
        let store = try SQLiteStore(
            path: state.appendingPathComponent("hwautomation.sqlite").path,
            box: try SecretBox.keyFile(state.appendingPathComponent("credentials.key").path))
        for (index, model) in models.enumerated() {
            let inventory = await model.discoveryBundle().inventory()
            try await store.upsertServer(
                ServerRecord(
                    id: "srv-\(index + 1)", name: "srv-\(index + 1)", status: "discovered",
                    inventory: String(decoding: try JSONEncoder().encode(inventory), as: UTF8.self)))
        }
        let environment = ["HWA_STATE_DIR": state.path]

        let text = try await CLI.run(["catalog", "proposals"], environment: environment)
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.contains("proposed.h12ssl-i.c16.m96"), "\(text.stdout)")
        #expect(text.stdout.contains("srv-2,srv-3") && !text.stdout.contains("srv-1"), "\(text.stdout)")
        let listed = try await CLI.run(["catalog", "proposals", "list", "--json"], environment: environment)
        let proposals = try #require(try CLI.json(listed.stdout) as? [[String: Any]])
        #expect(proposals.count == 1 && proposals.first?["count"] as? Int == 2, "\(listed.stdout)")
        let id = try #require(proposals.first?["id"] as? String)

        let directory = state.appendingPathComponent("catalog").path
        let refusals: [([String], String)] = [
            (["ghost", "--name", "a9.c1.large"], "error: no proposal ghost; the current ones are \(id)"),
            ([id, "--name", "a9_c1_large"], "error: --name: `a9_c1_large` has an underscore"),
            ([id, "--name", "s2.c2.small"], "error: `s2.c2.small` is already a device type of the catalog in use"),
            ([id, "--name", "a9.c1.large", "--config-dir", ""], "error: no catalog directory to write to"),
        ]
        for (arguments, message) in refusals {
            let config = arguments.contains("--config-dir") ? [] : ["--config-dir", directory]
            let refused = try await CLI.run(
                ["catalog", "proposals", "accept"] + arguments + config, environment: environment)
            #expect(refused.exitCode == 1, "\(arguments): \(refused.stdout)")
            #expect(refused.stderr.hasPrefix(message), "\(arguments): \(refused.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory), "nothing was written")

        let accepted = try await CLI.run(
            ["catalog", "proposals", "accept", id, "--name", "a9.c1.large", "--config-dir", directory, "--json"],
            environment: environment)
        #expect(accepted.exitCode == 0, "\(accepted.stderr)")
        let answer = try #require(try CLI.json(accepted.stdout) as? [String: Any])
        #expect(answer["active_after_restart"] as? Bool == true && answer["created_catalog"] as? Bool == true)
        #expect(answer["servers"] as? [String] == ["srv-2", "srv-3"])

        // From the directory (as after a restart): the proposal is gone, the servers are the new type.
        let after = try await CLI.run(
            ["catalog", "proposals", "--json", "--config-dir", directory], environment: environment)
        #expect((try CLI.json(after.stdout) as? [Any])?.isEmpty == true, "\(after.stdout)")
        let shown = try await CLI.run(["catalog", "show", "a9.c1.large", "--config-dir", directory])
        #expect(shown.exitCode == 0 && shown.stdout.contains("AMD EPYC 7313P"), "\(shown.stdout)\(shown.stderr)")
        let again = try await CLI.run(
            ["catalog", "proposals", "accept", id, "--name", "a9.c1.large", "--config-dir", directory],
            environment: environment)
        #expect(again.exitCode == 1 && again.stderr.contains("no proposal \(id)"), "\(again.stderr)")
    }
}

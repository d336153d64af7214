import Catalog
import Foundation
import Inventory
import Lab
import Logging
import Redfish
import TestSupport
import Testing

/// `discover --save-bundle` then `discover --from-bundle`: the bundle rebuilds the live inventory field for field;
/// and `discover` fails, naming the section, when the inventory lacks one the classifier needs.
@Suite("hwautomation discover: bundle fidelity and incomplete inventories")
struct DiscoveryCommandBundleTests {
    static func server(_ name: String) throws -> ServerModel {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        return ServerModel(deviceType: try #require(catalog.deviceType(named: name)), index: 3)
    }

    /// Every field of `bundle` that differs from `live`, by JSON path (`cpu.max_speed_mhz: 3500 → nil`).
    static func differences(_ live: Inventory, _ bundle: Inventory) throws -> [String] {
        func flatten(_ value: Any, _ path: String, into fields: inout [String: String]) {
            if let object = value as? [String: Any] {
                for (key, child) in object { flatten(child, path.isEmpty ? key : "\(path).\(key)", into: &fields) }
            } else if let array = value as? [Any] {
                for (index, child) in array.enumerated() { flatten(child, "\(path)[\(index)]", into: &fields) }
            } else {
                fields[path] = "\(value)"
            }
        }
        var fields: [[String: String]] = []
        for inventory in [live, bundle] {
            let object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(inventory))
            var flat: [String: String] = [:]
            flatten(object, "", into: &flat)
            fields.append(flat)
        }
        return Set(fields[0].keys).union(fields[1].keys).sorted().compactMap { key in
            fields[0][key] == fields[1][key] ? nil : "\(key): \(fields[0][key] ?? "nil") → \(fields[1][key] ?? "nil")"
        }
    }

    @Test("a lab BMC discovered over Redfish, then rebuilt from its saved bundle: the same inventory, field for field")
    func redfishRoundTrip() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-bundle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let lab = Lab(servers: [try Self.server("s2.c2.small")], settings: SimulatedBMC.Settings())
        let live = try await lab.withServer { port in
            try await CLI.run(
                [
                    "discover", "--redfish", Lab.baseURL(port: port, index: 0).absoluteString, "--user", "admin",
                    "--password-env", "LAB_PW", "--save-bundle", folder.path, "--json",
                ], environment: ["LAB_PW": "password"])
        }
        #expect(live.exitCode == 0, "\(live.stderr)")
        let replay = try await CLI.run(["discover", "--from-bundle", folder.path, "--json"])
        #expect(replay.exitCode == 0, "\(replay.stderr)")
        let liveInventory = try JSONDecoder().decode(Inventory.self, from: Data(live.stdout.utf8))
        let bundleInventory = try JSONDecoder().decode(Inventory.self, from: Data(replay.stdout.utf8))
        #expect(liveInventory.cpu.maxSpeedMHz != nil)
        #expect(liveInventory.storage.count > 0 && liveInventory.nics.count > 0 && liveInventory.bmc != nil)
        #expect(try Self.differences(liveInventory, bundleInventory) == [])
        #expect(bundleInventory == liveInventory)
    }

    @Test(
        "each lab vendor profile: a complete inventory, rebuilt field for field from the saved tree, of its type",
        arguments: [
            (SimulatedBMC.Profile.hpe, "flex-6542Y.c.large"), (.supermicro, "s2.c2.small"), (.dell, "s2.c2.small"),
            (.lenovo, "s2.c2.small"), (.generic, "s2.c2.small"),
        ])
    func vendorProfileRoundTrip(profile: SimulatedBMC.Profile, type: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-bundle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var settings = SimulatedBMC.Settings()
        settings.profile = profile
        let lab = Lab(servers: [try Self.server(type)], settings: settings)
        let live = try await lab.withServer { port in
            let client = try RedfishClient(
                endpoint: RedfishEndpoint(
                    baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password"),
                logger: Logger(label: "profile-round-trip"))
            let redfish = folder.appendingPathComponent(DiscoveryBundle.redfishFolder)
            let inventory = await RedfishDiscovery(client: client).inventory(saveTo: redfish)
            await client.close()
            return inventory
        }
        #expect(live.problems.isEmpty, "\(profile): \(live.problems)")
        #expect(live.missingSections.isEmpty, "\(profile): \(live.missingSections)")
        let rebuilt = try await DiscoveryBundle.read(from: folder).inventory()
        #expect(try Self.differences(live, rebuilt) == [], "\(profile)")
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let result = Classifier(catalog: catalog).classify(live)
        #expect(result.deviceType == type, "\(profile): \(result.candidates)")
        #expect(result.confidence == .high, "\(profile): \(result.reasons.map(\.description))")
    }

    @Test("a lab host discovered over the SSH stand-in, then rebuilt from the bundle it wrote: the same inventory")
    func sshRoundTrip() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-bundle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (bundle, problems) = try await SSHDiscovery(session: SimulatedHost(server: try Self.server("s2.c1.medium")))
            .collect()
        #expect(problems.allSatisfy { $0.section == nil || !InventorySection.classified.contains($0.section!) })
        let live = await bundle.inventory()
        try bundle.write(to: folder)
        let rebuilt = try await DiscoveryBundle.read(from: folder).inventory()
        #expect(live.cpu.maxSpeedMHz != nil)
        #expect(try Self.differences(live, rebuilt) == [])
    }

    @Test("a bundle whose drives cannot be read: discover prints the inventory, names storage and fails")
    func missingSection() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-bundle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let lab = Lab(servers: [try Self.server("s2.c2.small")], settings: SimulatedBMC.Settings())
        try await lab.withServer { port in
            let saved = try await CLI.run(
                [
                    "discover", "--redfish", Lab.baseURL(port: port, index: 0).absoluteString, "--user", "admin",
                    "--password-env", "LAB_PW", "--save-bundle", folder.path,
                ], environment: ["LAB_PW": "password"])
            #expect(saved.exitCode == 0, "\(saved.stderr)")
        }
        let storage = folder.appendingPathComponent("redfish/Systems/1/Storage")
        #expect(FileManager.default.fileExists(atPath: storage.path))
        try FileManager.default.removeItem(at: storage)
        let result = try await CLI.run(["discover", "--from-bundle", folder.path])
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("not read:"), "the inventory is still printed")
        #expect(result.stderr.contains("the inventory has no storage"), "\(result.stderr)")
        #expect(result.stderr.contains("Systems/1/Storage"), "\(result.stderr)")
        // classify reads the same bundle, lists the problem and lowers its confidence.
        let classify = try await CLI.run(["classify", "--from-bundle", folder.path, "--explain"])
        #expect(classify.stdout.contains("confidence lowered"), "\(classify.stdout)")
        #expect(classify.stdout.contains("not read (storage)"), "\(classify.stdout)")
    }
}

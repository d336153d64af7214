import Catalog
import Firmware
import Foundation
import IPMI
import Inventory
import Lab
import Logging
import Orchestration
import Remote
import Store
import TestSupport
import Testing
import WorkflowEngine

/// The firmware workflows through the engine against the lab: firmware-first provisioning with one reset for
/// BIOS firmware and BIOS settings together, and the compliance report over a demo-sized lab.
@Suite("Firmware workflows")
struct FirmwareWorkflowTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog
    let logger = Logger(label: "firmware-workflow")

    /// A repository of lab images: Supermicro and HPE BMC and BIOS firmware newer than the lab's.
    static func repository(_ root: URL) throws -> FirmwareLibrary {
        let library = FirmwareLibrary(directory: root.appendingPathComponent("repo"))
        let incoming = root.appendingPathComponent("incoming")
        try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true)
        for (vendor, component, version) in [
            ("supermicro", "bmc", "1.74.06"), ("supermicro", "bios", "1.6"), ("hpe", "bmc", "1.80"),
            ("hpe", "bios", "U30 v2.60"),
        ] {
            let file = incoming.appendingPathComponent("\(vendor)-\(component)-\(version).img")
            try LabFirmwareImage.make(component: component, version: version).write(to: file)
            try library.add(
                file: file, vendor: vendor, component: component == "bmc" ? .bmc : .bios, version: version,
                priority: .high)
        }
        return library
    }

    func engine(_ store: any Store, _ library: FirmwareLibrary) -> Engine {
        var services = CommissioningServices(
            catalog: Self.catalog, store: store, runner: ProcessRunner(logger: logger), hostTimeout: .seconds(60),
            firstPoll: .milliseconds(100), logger: logger)
        var options = FirmwareUpdater.Options()
        options.activationPoll = .milliseconds(20)
        services.firmware = FirmwareServices(library: library, options: options, defaultPolicy: "latest")
        services.firmware?.retryDelay = .milliseconds(10)
        return Engine(repository: store, definitions: CommissioningWorkflows.definitions(services), logger: logger)
    }

    @Test("firmware-first: BMC updated without a reset, BIOS firmware and BIOS settings applied with ONE reset")
    func firmwareFirstOneReset() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-fwf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let library = try Self.repository(root)
        let servers = try ["s2.c2.small", "a1.c5.large"].enumerated().map { index, name in
            ServerModel(deviceType: try #require(Self.catalog.deviceType(named: name)), index: index + 1)
        }
        let fleet = try await LabFleet(servers, taskPolls: 2)
        let (lab, store) = (fleet.lab, fleet.store)
        let engine = engine(store, library)
        try await lab.withServer { port in
            let ids = try await fleet.runEach(FirmwareWorkflows.firmwareFirst, on: engine, port: port)
            let expected = [("1.74.06", "1.6"), ("1.80", "U30 v2.60")]
            for (index, node) in lab.nodes.enumerated() {
                let counters = node.withState { $0.counters }
                #expect(counters.resets == 1, "node \(index): one reset for BIOS firmware and settings")
                #expect(counters.patches == 1, "node \(index): one BIOS PATCH")
                #expect(counters.firmwareUpdates == 2)
                let steps = try await store.steps(workflowID: ids[index])
                let record = try #require(try await store.server(id: "n\(index)"))
                let inventory = try JSONDecoder().decode(
                    Inventory.self, from: Data(try #require(record.inventory).utf8))
                #expect(inventory.bmc?.firmware == expected[index].0)
                #expect(inventory.bios.version == expected[index].1)
                #expect(steps.first { $0.name == "apply-bios" }?.output?.contains("\"reset\":true") == true)
                #expect(steps.first { $0.name == "update-firmware" }?.output?.contains("\"state\":\"staged\"") == true)
            }
            let audit = try await store.auditLog(limit: 100)
            #expect(audit.contains { $0.action == "firmware.updated" && $0.detail.contains("1.73.14 → 1.74.06") })
        }
    }

    @Test("compliance over a demo-sized lab lists every node with current and target versions")
    func complianceOverLab() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-fwc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let library = try Self.repository(root)
        var config = LabConfig()
        config.nodes = 24
        config.unknown = 2
        let servers = try config.servers(catalog: Self.catalog)
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0.1
        let lab = Lab(servers: servers, settings: settings)
        let store = InMemoryStore(box: .ephemeral())
        try await store.putCredential(
            name: "lab", user: settings.user, secret: settings.password, kind: "bmc", scope: .loopbackLab)
        let engine = engine(store, library)
        try await lab.withServer { port in
            func input(_ index: Int, dryRun: Bool) -> [String: String] {
                [
                    "bmc": Lab.baseURL(port: port, index: index).absoluteString, "credential": "lab",
                    "dry_run": dryRun ? "true" : "false",
                ]
            }
            var ids: [String] = []
            for index in servers.indices {
                ids.append(
                    try await engine.create(
                        definition: FirmwareWorkflows.update, serverID: "node-\(index)",
                        input: input(index, dryRun: true)
                    ).id)
            }
            _ = await engine.run(ids)
            let report = try await FirmwareCompliance.report(
                store: store, catalog: Self.catalog, images: try library.images(), policy: "latest")
            #expect(Set(report.rows.map(\.server)).count == servers.count)
            #expect(report.rows.count == servers.count * 2)
            for row in report.rows where row.vendor == "supermicro" && row.component == .bmc {
                #expect(row.current == "1.73.14")
                #expect(row.target == "1.74.06")
                #expect(row.status == "behind")
                #expect(row.behindBy == 1)
            }
            let supermicro = report.rows.filter { $0.vendor == "supermicro" }
            #expect(!supermicro.isEmpty)
            #expect(
                report.serversBehind
                    == Set(report.rows.filter { $0.vendor == "supermicro" || $0.vendor == "hpe" }.map(\.server)).count)
            // Updating one node makes it compliant.
            let index = try #require(servers.firstIndex { $0.manufacturer == "Supermicro" })
            let update = try await engine.create(
                definition: FirmwareWorkflows.update, serverID: "node-\(index)", input: input(index, dryRun: false))
            let result = await engine.run([update.id])
            #expect(result.first?.state == .succeeded, "\(result.first?.reason ?? "")")
            #expect(lab.nodes[index].withState { $0.counters.resets } == 1)
            let after = try await FirmwareCompliance.report(
                store: store, catalog: Self.catalog, images: try library.images(), policy: "latest")
            #expect(after.rows.filter { $0.server == "node-\(index)" }.map(\.status) == ["compliant", "compliant"])
        }
    }
}

/// Firmware versions without Redfish: `mc info` from ipmi_sim, the BIOS version from the real dmidecode over sshd.
@Suite("Firmware inventory in band")
struct InBandFirmwareInventoryTests {
    @Test(
        "BMC firmware from ipmitool mc info, BIOS version from dmidecode over SSH",
        .enabled(if: Peer.ipmi.enabled && Peer.ssh.enabled))
    func ipmiAndDMIDecode() async throws {
        let logger = Logger(label: "firmware-in-band")
        let runner = ProcessRunner(logger: logger)
        let ipmi = IPMITool(
            target: IPMITarget(
                host: try Peer.value("HWA_TEST_IPMI_HOST"), port: Int(try Peer.value("HWA_TEST_IPMI_PORT")) ?? 623,
                user: try Peer.value("HWA_TEST_IPMI_USER"), password: try Peer.secret("HWA_TEST_IPMI_PASSWORD_FILE")),
            runner: runner)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-fw-ib-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let shell = try SSHSession(
            target: SSHTarget(
                host: try Peer.value("HWA_TEST_SSH_HOST"), port: Int(try Peer.value("HWA_TEST_SSH_PORT")) ?? 22,
                user: try Peer.value("HWA_TEST_SSH_USER"), keyFile: try Peer.value("HWA_TEST_SSH_KEY"),
                knownHostsFile: folder.appendingPathComponent("known_hosts").path),
            runner: runner, logger: logger)
        let inventory = try await InBandFirmwareInventory.read(ipmi: ipmi, host: shell)
        await shell.close()
        #expect(inventory.source == "ipmi+dmidecode")
        let bmc = try #require(inventory.version(of: .bmc))
        #expect(bmc == (try await ipmi.mcInfo().firmwareRevision))
        #expect(FirmwareVersion(bmc).isKnown)
        #expect(inventory.version(of: .bios) == "2.14.1")
        let bmcOnly = try await InBandFirmwareInventory.read(ipmi: ipmi, host: nil)
        #expect(bmcOnly.source == "ipmi")
        #expect(bmcOnly.version(of: .bios) == nil)
    }
}

import BIOS
import Catalog
import Foundation
import Inventory
import Lab
import Logging
import MAAS
import Orchestration
import Redfish
import Remote
import Store
import TestSupport
import Testing
import WorkflowEngine

/// Intelligent commissioning over the real peers: sshd (dmidecode on a synthetic SMBIOS table) for the host,
/// sushy-tools' libvirt BMC (HTTPS, Basic) for Redfish and BIOS, ipmi_sim for the BMC's IPMI side.
@Suite("Commissioning against the real peers", .serialized)
struct CommissioningPeerTests {
    @Test(
        "the workflow waits for a decision on unknown hardware, then records the type and applies the BIOS",
        .enabled(if: Peer.redfishTLS.enabled && Peer.ssh.enabled && Peer.ipmi.enabled))
    func realPeers() async throws {
        let logger = Logger(label: "peer-commissioning")
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-peer-wf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("hwa.sqlite").path, box: .ephemeral())
        try await store.putCredential(
            name: "sushy", user: try Peer.value("HWA_TEST_REDFISH_USER"),
            secret: try Peer.secret("HWA_TEST_REDFISH_PASSWORD_FILE"), kind: "bmc")
        try await store.putCredential(
            name: "ipmi", user: try Peer.value("HWA_TEST_IPMI_USER"),
            secret: try Peer.secret("HWA_TEST_IPMI_PASSWORD_FILE"), kind: "bmc")
        let services = CommissioningServices(
            catalog: catalog, store: store, runner: ProcessRunner(logger: logger), hostTimeout: .seconds(120),
            firstPoll: .zero, logger: logger)
        let engine = Engine(
            repository: store, definitions: CommissioningWorkflows.definitions(services), logger: logger)
        let input = [
            "bmc": try Peer.value("HWA_TEST_REDFISH_TLS_URL"), "credential": "sushy",
            "tls": "ca:" + (try Peer.value("HWA_TEST_REDFISH_CA")),
            "system": "11111111-2222-3333-4444-555555555503",
            "ssh_host": "\(try Peer.value("HWA_TEST_SSH_USER"))@\(try Peer.value("HWA_TEST_SSH_HOST"))",
            "ssh_port": try Peer.value("HWA_TEST_SSH_PORT"), "ssh_key": try Peer.value("HWA_TEST_SSH_KEY"),
            "known_hosts": folder.appendingPathComponent("known_hosts").path,
            "ipmi_host": try Peer.value("HWA_TEST_IPMI_HOST"), "ipmi_port": try Peer.value("HWA_TEST_IPMI_PORT"),
            "ipmi_credential": "ipmi",
        ]
        // The peers outlive one test run: put the node's QuietBoot back to sushy's default so there is a change.
        let reset = try RedfishClient(
            endpoint: RedfishEndpoint(
                baseURL: URL(string: try Peer.value("HWA_TEST_REDFISH_TLS_URL"))!,
                username: try Peer.value("HWA_TEST_REDFISH_USER"),
                password: try Peer.secret("HWA_TEST_REDFISH_PASSWORD_FILE"),
                tls: .trustRoots(pemFile: try Peer.value("HWA_TEST_REDFISH_CA"))),
            logger: logger)
        let bios = RedfishBIOS(client: reset, logger: logger)
        try await bios.discover(system: "11111111-2222-3333-4444-555555555503")
        let back = try await bios.restorePlan(
            BIOSBackup(bmc: "peer", deviceType: "-", taken: "-", attributes: ["QuietBoot": .string("true")]))
        _ = try await bios.apply(back, backupTo: MemoryBackupSink(), firstPoll: .zero)
        await reset.close()
        let run = try await engine.create(
            definition: CommissioningWorkflows.intelligent, serverID: "peer-node", input: input)
        // The sshd host is a "Contoso PowerRack R650" no catalog type describes: the run asks for a decision.
        let first = try #require(await engine.run([run.id]).first)
        #expect(first.state == .waiting, "\(first.reason ?? "")")
        #expect(first.reason?.contains("resume with --device-type") == true)
        let discovered = try #require(try await store.server(id: "peer-node"))
        #expect(discovered.inventory?.contains("SN-0001") == true, "SSH facts win over Redfish facts")
        #expect(discovered.status == "needs-decision")

        _ = try await engine.reopen(run.id, input: ["device_type": "s2.c2.small"])
        let done = try #require(await engine.run([run.id]).first)
        #expect(done.state == .succeeded, "\(done.reason ?? "")")
        let steps = try await store.steps(workflowID: run.id)
        let states = Dictionary(uniqueKeysWithValues: steps.map { ($0.name, $0.state) })
        let skipped: Set<String> = [
            "firmware-inventory", "plan-firmware", "update-firmware", "verify-firmware", "record-firmware",
            "commission",
        ]
        #expect(
            states.filter { skipped.contains($0.key) }.values.allSatisfy { $0 == .skipped }
                && states.filter { !skipped.contains($0.key) }.values.allSatisfy { $0 == .succeeded },
            "\(steps.map { "\($0.name)=\($0.state)" })")
        // No firmware repository: the recommendation says so, and the firmware steps are skipped with its reason.
        #expect(steps.first { $0.name == "plan-firmware" }?.error?.contains("no firmware repository") == true)
        // Boarding validation, judged by programs we did not write: ipmi_sim answered `mc info`; sushy-tools'
        // libvirt node has none of s2.c2.small's 1 TB NVMe (its Storage answers 500), so the operator's choice
        // is not handed over: the server needs attention and is not commissioned.
        let report = try BoardingReport(stepOutput: try #require(steps.first { $0.name == "validate" }?.output))
        #expect(!report.passed)
        #expect(report.checks.first { $0.name == .bmcIPMI }?.result == .passed)
        #expect(report.checks.first { $0.name == .bmcRedfish }?.result == .passed)
        #expect(report.checks.first { $0.name == .drives }?.result == .failed)
        #expect(report.checks.filter { $0.result == .failed }.map(\.name) == [.drives], "\(report.checks)")
        #expect(steps.last?.error?.contains("not handed over: boarding validation failed (drives") == true)
        let bmc = try #require(steps.first { $0.name == "configure-bmc" }?.output)
        #expect(bmc.contains("\"firmware\""), "ipmi_sim answered mc info: \(bmc)")
        let applied = try JSONDecoder().decode(
            BIOSStepOutput.self, from: Data(try #require(steps.first { $0.name == "apply-bios" }?.output).utf8))
        #expect(applied.patched && applied.reset)
        #expect(applied.changes.contains { $0.hasPrefix("QuietBoot") })
        #expect(applied.backup?.hasPrefix("store:#") == true)
        let server = try #require(try await store.server(id: "peer-node"))
        #expect(
            server.deviceType == "s2.c2.small" && server.confidence == "operator"
                && server.status == "needs-attention")
        #expect(server.tags.contains("s2.c2.small"))
        // A second run finds nothing to change: no PATCH, no reset.
        let again = try await engine.create(
            definition: CommissioningWorkflows.deviceSpecific, serverID: "peer-node",
            input: input.merging(["device_type": "s2.c2.small", "force": "true"]) { $1 })
        #expect(await engine.run([again.id]).first?.state == .succeeded)
        let second = try JSONDecoder().decode(
            BIOSStepOutput.self,
            from: Data(
                try #require(try await store.steps(workflowID: again.id).first { $0.name == "apply-bios" }?.output)
                    .utf8))
        #expect(!second.patched && !second.reset)

        // Drift against sushy-tools: in sync right after, then QuietBoot changed behind our back is found, with the
        // fate an apply would meet; the check reaches the BMC as the last run did (its TLS CA and system id).
        let drift = DriftService(engine: engine, store: store, catalog: catalog)
        func check() async throws -> DriftRecord {
            let sweep = try await drift.sweep(try await drift.servers(.servers(["peer-node"])), tls: nil, actor: "test")
            #expect(await engine.run(sweep.runs.map(\.id)).first?.state == .succeeded)
            return try #require(try await store.driftHistory(serverID: "peer-node", limit: 1).first)
        }
        let clean = try await check()
        #expect(clean.state == .inSync && clean.biosDrift == 0, "\(clean)")
        #expect(!clean.firmwareChecked, "no firmware repository: firmware not compared")
        let changer = try RedfishClient(
            endpoint: RedfishEndpoint(
                baseURL: URL(string: try Peer.value("HWA_TEST_REDFISH_TLS_URL"))!,
                username: try Peer.value("HWA_TEST_REDFISH_USER"),
                password: try Peer.secret("HWA_TEST_REDFISH_PASSWORD_FILE"),
                tls: .trustRoots(pemFile: try Peer.value("HWA_TEST_REDFISH_CA"))),
            logger: logger)
        let behindOurBack = RedfishBIOS(client: changer, logger: logger)
        try await behindOurBack.discover(system: "11111111-2222-3333-4444-555555555503")
        _ = try await behindOurBack.apply(
            try await behindOurBack.restorePlan(
                BIOSBackup(bmc: "peer", deviceType: "-", taken: "-", attributes: ["QuietBoot": .string("true")])),
            backupTo: MemoryBackupSink(), firstPoll: .zero)
        await changer.close()
        let drifted = try await check()
        #expect(drifted.state == .drifted, "\(drifted)")
        #expect(
            drifted.settings.contains { $0.attribute == "QuietBoot" && $0.fate == "change" && $0.current == "true" },
            "\(drifted.settings)")
    }

    @Test(
        "MAAS-first: the lab's MAAS commissions with SSH, the real sshd is the ephemeral environment, ipmitool in band",
        .enabled(if: Peer.redfishTLS.enabled && Peer.ssh.enabled && Peer.ipmi.enabled))
    func maasFirst() async throws {
        let logger = Logger(label: "peer-maas-first")
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let model = ServerModel(deviceType: try #require(catalog.deviceType(named: "s2.c2.small")), index: 1)
        let key = "c0nsumer:t0ken:s3cret"
        // MAAS shows the machine at the sshd peer's address once it has booted its ephemeral environment.
        let sshHost = try Peer.value("HWA_TEST_SSH_HOST")
        let lab = Lab(servers: [model], maasAPIKey: key, maasOperationSeconds: 0.3, maasHostAddress: { _ in sshHost })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-peer-mf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("hwa.sqlite").path, box: .ephemeral())
        try await store.putCredential(name: "maas", user: nil, secret: key, kind: "maas", scope: .loopbackLab)
        try await store.putCredential(
            name: "sushy", user: try Peer.value("HWA_TEST_REDFISH_USER"),
            secret: try Peer.secret("HWA_TEST_REDFISH_PASSWORD_FILE"), kind: "bmc")
        let services = CommissioningServices(
            catalog: catalog, store: store, runner: ProcessRunner(logger: logger), hostTimeout: .seconds(120),
            firstPoll: .zero, logger: logger)
        let engine = Engine(
            repository: store, definitions: CommissioningWorkflows.definitions(services), logger: logger)
        try await lab.withServer { port in
            let client = MAASClient(
                endpoint: try MAASEndpoint(url: Lab.maasURL(port: port), apiKey: key), logger: logger)
            let machine = try #require(try await client.machines().first)
            await client.shutdown()
            let run = try await engine.create(
                definition: MAASProvisioning.name, serverID: "peer-maas",
                input: [
                    "maas_system_id": machine.systemID, "maas_url": Lab.maasURL(port: port).absoluteString,
                    "maas_credential": "maas", "ssh_user": try Peer.value("HWA_TEST_SSH_USER"),
                    "ssh_port": try Peer.value("HWA_TEST_SSH_PORT"), "ssh_key": try Peer.value("HWA_TEST_SSH_KEY"),
                    "bmc": try Peer.value("HWA_TEST_REDFISH_TLS_URL"), "credential": "sushy",
                    "tls": "ca:" + (try Peer.value("HWA_TEST_REDFISH_CA")),
                    "system": "11111111-2222-3333-4444-555555555503", "device_type": "s2.c2.small",
                ])
            let result = try #require(await engine.run([run.id]).first)
            #expect(result.state == .succeeded, "\(result.reason ?? "")")
            let steps = try await store.steps(workflowID: run.id)
            let inventory = try #require(steps.first { $0.name == "discover" }?.output)
            #expect(inventory.contains("SN-0001"), "real dmidecode over the real sshd")
            let bmc = try #require(steps.first { $0.name == "configure-bmc" }?.output)
            #expect(bmc.contains("MontaVista"), "ipmi_sim answered ipmitool run in band over sshd: \(bmc)")
            #expect(lab.maas?.withState { $0.tags(serial: model.serial) }.contains("hwa-type-s2-c2-small") == true)
            let server = try #require(try await store.server(id: "peer-maas"))
            #expect(server.maasSystemID == machine.systemID && server.status == "configured-with-exceptions")
            #expect(!FileManager.default.fileExists(atPath: NSTemporaryDirectory() + "hwa-known-hosts-\(run.id)"))
        }
    }
}

import BIOS
import Catalog
import Foundation
import Inventory
import Logging
import Redfish
import Remote
import Testing

@testable import Lab

/// Vendor profiles, configuration and faults of the lab.
@Suite("Lab profiles and configuration")
struct LabProfileTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog

    static func server(_ type: String) -> ServerModel {
        ServerModel(deviceType: catalog.deviceType(named: type)!, index: 3)
    }

    static let auth = ["authorization": "Basic " + Data("admin:password".utf8).base64EncodedString()]

    @Test("HPE: the settings object is the lowercase bios/settings and a PATCH says SystemResetRequired")
    func hpe() {
        var bmc = SimulatedBMC(server: Self.server("a1.c5.large"))
        #expect(bmc.profile == .hpe)
        let bios = bmc.handle(LabRequest(method: "GET", path: "/redfish/v1/Systems/1/Bios", headers: Self.auth), now: 0)
        #expect(
            bios.body?["@Redfish.Settings"]["SettingsObject"]["@odata.id"].string
                == "/redfish/v1/Systems/1/bios/settings")
        let patch = bmc.handle(
            LabRequest(
                method: "PATCH", path: "/redfish/v1/Systems/1/bios/settings", headers: Self.auth,
                body: .object(["Attributes": .object(["BootMode": .string("LegacyBios")])])), now: 0)
        #expect(patch.status == 200)
        #expect(patch.body?["@Message.ExtendedInfo"].array.first?["MessageId"].string == "iLO.2.14.SystemResetRequired")
        #expect(
            bmc.handle(
                LabRequest(method: "GET", path: "/redfish/v1/Systems/1/Bios/Settings", headers: Self.auth), now: 0
            ).status == 404)
    }

    @Test("Supermicro without the out-of-band licence: a clear error, nothing pending")
    func supermicroLicence() {
        var settings = SimulatedBMC.Settings()
        settings.supermicroLicensed = false
        var bmc = SimulatedBMC(server: Self.server("s2.c2.small"), settings: settings)
        let patch = bmc.handle(
            LabRequest(
                method: "PATCH", path: "/redfish/v1/Systems/1/Bios/Settings", headers: Self.auth,
                body: .object(["Attributes": .object(["BootMode": .string("UEFI")])])), now: 0)
        #expect(patch.status == 400)
        #expect(
            patch.body?["error"]["@Message.ExtendedInfo"].array.first?["Message"].string?.contains("licence") == true)
        #expect(bmc.pendingAttributes.isEmpty)
    }

    @Test("Dell: If-Match on an action is 412; with the busy fault the first reset after a BIOS change is SYS518 once")
    func dell() {
        var settings = SimulatedBMC.Settings()
        settings.profile = .dell
        settings.dellBusyAfterChange = true
        var bmc = SimulatedBMC(server: Self.server("s2.c2.small"), settings: settings)
        let reset = LabRequest(
            method: "POST", path: "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset",
            headers: Self.auth.merging(["if-match": "*"]) { $1 }, body: .object(["ResetType": .string("ForceRestart")]))
        #expect(bmc.handle(reset, now: 0).status == 412)
        _ = bmc.handle(
            LabRequest(
                method: "PATCH", path: "/redfish/v1/Systems/1/Bios/Settings", headers: Self.auth,
                body: .object(["Attributes": .object(["BootMode": .string("Bios")])])), now: 0)
        var plain = reset
        plain.headers = Self.auth
        let busy = bmc.handle(plain, now: 0)
        #expect(busy.status == 503)
        #expect(
            busy.body?["error"]["@Message.ExtendedInfo"].array.first?["MessageId"].string?.contains("SYS518") == true)
        #expect(bmc.handle(plain, now: 0).status == 204)
        _ = bmc.powerState(at: bmc.settings.postSeconds)
        #expect(bmc.attribute("BootMode") == .string("Bios"))
    }

    @Test("Dell: a BIOS PATCH answers 202 with a job: Scheduled, Running from the reset, Completed after POST")
    func dellJobs() throws {
        var settings = SimulatedBMC.Settings()
        settings.profile = .dell
        settings.postSeconds = 10
        var bmc = SimulatedBMC(server: Self.server("s2.c2.small"), settings: settings)
        let patch = bmc.handle(
            LabRequest(
                method: "PATCH", path: "/redfish/v1/Systems/1/Bios/Settings", headers: Self.auth,
                body: .object(["Attributes": .object(["BootMode": .string("Bios")])])), now: 0)
        #expect(patch.status == 202)
        let job = try #require(patch.headers["Location"])
        func state(_ now: Double) -> String? {
            bmc.handle(LabRequest(method: "GET", path: job, headers: Self.auth), now: now).body?["JobState"].string
        }
        #expect(state(0) == "Scheduled")
        let reset = LabRequest(
            method: "POST", path: "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", headers: Self.auth,
            body: .object(["ResetType": .string("ForceRestart")]))
        #expect(bmc.handle(reset, now: 1).status == 204)  // no busy fault asked for: the reset is taken
        #expect(state(5) == "Running")
        #expect(state(12) == "Completed")
        let jobs = bmc.handle(
            LabRequest(method: "GET", path: "/redfish/v1/Managers/1/Jobs", headers: Self.auth), now: 12)
        #expect(jobs.body?["Members"].array.count == 1)
    }

    @Test(
        "Dell over HTTP: apply follows the job to Completed; a busy iDRAC's SYS518 reset is sent again, one reset",
        arguments: [false, true])
    func dellApply(busy: Bool) async throws {
        var settings = SimulatedBMC.Settings()
        settings.profile = .dell
        settings.postSeconds = 0
        settings.dellBusyAfterChange = busy
        let type = try #require(Self.catalog.deviceType(named: "s2.c2.small"))
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], settings: settings)
        try await lab.withServer { port in
            let client = try RedfishClient(
                endpoint: RedfishEndpoint(
                    baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password"),
                logger: .init(label: "lab-test"))
            let bios = RedfishBIOS(client: client, logger: .init(label: "lab-test"))
            let plan = try await bios.plan(
                try DesiredBIOSState(type: type, catalog: Self.catalog), type: type, catalog: Self.catalog)
            let report = try await bios.apply(plan, backupTo: MemorySink(), firstPoll: .zero)
            await client.close()
            // Every change verifies; s2.c2.small's settings the lab's registry lacks are exceptions (#18).
            #expect(report.verified.values.allSatisfy { $0 } && !report.verified.isEmpty, "\(report.verified)")
            #expect(report.job?.hasPrefix("JID_") == true)
            let resets = report.counters?.byPath.filter { $0.key.hasSuffix("/ComputerSystem.Reset") } ?? [:]
            #expect(resets.values.reduce(0, +) == (busy ? 2 : 1), "\(resets)")
            #expect(lab.nodes[0].withState { $0.counters.resets } == 1)
        }
    }

    @Test("connection resets: the client reports a transport error naming the BMC; the lab keeps serving")
    func connectionResets() async throws {
        let lab = Lab(servers: [Self.server("s2.c2.small")], faults: LabConfig.Faults(resetRate: 1, seed: 3))
        try await lab.withServer { port in
            let client = try RedfishClient(
                endpoint: RedfishEndpoint(
                    baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password", attempts: 2),
                logger: .init(label: "lab-test"))
            await #expect {
                _ = try await client.serviceRoot()
            } throws: { error in
                (error as? RedfishError)?.kind == .transport && "\(error)".contains("127.0.0.1:\(port)")
            }
            await client.close()
        }
        let config = try LabConfig.load(
            {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "lab-\(UUID().uuidString).yaml")
                try? Data("faults: {reset_rate: 0.05}\n".utf8).write(to: file)
                return file.path
            }())
        #expect(config.faults?.resetRate == 0.05)
    }

    @Test("a lab configuration: nodes cycle through the types, unknown servers added, bad input named")
    func config() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lab-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(
            "nodes: 5\ntypes: [s2.c2.small, a1.c5.large]\nunknown: 1\nlatency_ms: {min: 1, max: 3}\nfaults: {error_rate: 0.1, seed: 7}\n"
                .utf8
        )
        .write(to: file)
        let config = try LabConfig.load(file.path)
        let servers = try config.servers(catalog: Self.catalog)
        #expect(servers.count == 6)
        #expect(servers.map(\.board).prefix(2) == ["X12STW-TF", "ProLiant RL300 Gen11"])
        #expect(config.faults?.errorRate == 0.1)
        // Without types, the vendors take turns, so three servers are one of each.
        var mixed = LabConfig()
        mixed.nodes = 3
        #expect(try mixed.servers(catalog: Self.catalog).map(\.manufacturer) == ["Dell Inc.", "HPE", "Supermicro"])
        try Data("types: [no.such.type]\n".utf8).write(to: file)
        #expect(throws: LabError.self) { try LabConfig.load(file.path).servers(catalog: Self.catalog) }
        try Data("nodes: [not a number\n".utf8).write(to: file)
        #expect(throws: LabError.self) { try LabConfig.load(file.path) }
    }

    @Test("Redfish discovery of a lab BMC classifies like the SSH tool output of the same server")
    func bothPaths() async throws {
        let types = ["s2.c1.small", "s2.c1.medium", "a1.c5.large", "flex-8352Y.c.large", "s4.x6.c6.large"]
        let servers = types.map(Self.server)
        let lab = Lab(servers: servers)
        let classifier = Classifier(catalog: Self.catalog)
        try await lab.withServer { port in
            for (index, name) in types.enumerated() {
                let client = try RedfishClient(
                    endpoint: RedfishEndpoint(
                        baseURL: Lab.baseURL(port: port, index: index), username: "admin", password: "password"),
                    logger: .init(label: "lab-test"))
                let overRedfish = await RedfishDiscovery(client: client).inventory()
                await client.close()
                let overSSH = await servers[index].discoveryBundle().inventory()
                #expect(overRedfish.problems.isEmpty, "\(overRedfish.problems)")
                #expect(overRedfish.cpu.physicalCores == overSSH.cpu.physicalCores)
                #expect(overRedfish.memory.totalGiB == overSSH.memory.totalGiB)
                #expect(overRedfish.system.serial == overSSH.system.serial)
                #expect(classifier.classify(overRedfish).deviceType == name)
                #expect(classifier.classify(overSSH).deviceType == name)
            }
        }
    }

    @Test("10% injected 503s: the client's retries carry discovery through")
    func faults() async throws {
        let servers = (0..<6).map { _ in Self.server("s2.c2.small") }
        let lab = Lab(servers: servers, faults: LabConfig.Faults(errorRate: 0.1, seed: 11))
        try await lab.withServer { port in
            for index in servers.indices {
                let client = try RedfishClient(
                    endpoint: RedfishEndpoint(
                        baseURL: Lab.baseURL(port: port, index: index), username: "admin", password: "password",
                        attempts: 4),
                    logger: .init(label: "lab-test"))
                let inventory = await RedfishDiscovery(client: client).inventory()
                await client.close()
                #expect(inventory.cpu.physicalCores == 8, "\(inventory.problems)")
            }
        }
    }
}

/// The lab's in-band side: SSH discovery's commands answered from the server model.
@Suite("Simulated host")
struct SimulatedHostTests {
    @Test("SSH discovery over a lab host yields the server's inventory; lshw is reported as missing, not faked")
    func discovery() async throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "d2.c4.storage.pliops1"))
        let server = ServerModel(deviceType: type, index: 9)
        let (bundle, problems) = try await SSHDiscovery(session: SimulatedHost(server: server)).collect()
        #expect(problems.map(\.source) == ["lshw.json"])
        #expect(problems.first?.message.contains("not installed") == true)
        let inventory = await bundle.inventory()
        #expect(inventory.system.serial == server.serial)
        #expect(Classifier(catalog: catalog).classify(inventory).deviceType == type.name)
    }
}

/// BIOS backups kept in memory for these tests.
actor MemorySink: BIOSBackupSink {
    var saved: [BIOSBackup] = []

    func save(_ backup: BIOSBackup) async throws -> String {
        saved.append(backup)
        return "memory:#\(saved.count)"
    }
}

import Catalog
import Firmware
import Foundation
import Lab
import Logging
import Orchestration
import Remote
import Store
import Testing
import WorkflowEngine

/// The drift sweep through the engine against the lab: read-only (no PATCH, no reset), each differing BIOS setting
/// with the fate an apply would meet, firmware behind the repository, remediation (dry run, then applied), a clean
/// check after it, and the servers that cannot be compared (no type, a refused credential) said as such.
@Suite("Drift workflows")
struct DriftWorkflowTests {
    static let catalog = FirmwareWorkflowTests.catalog
    let logger = Logger(label: "drift-workflow")

    func engine(_ store: any Store, firmware library: FirmwareLibrary?) -> Engine {
        var services = CommissioningServices(
            catalog: Self.catalog, store: store, runner: ProcessRunner(logger: logger), hostTimeout: .seconds(60),
            firstPoll: .milliseconds(100), logger: logger)
        services.firmware = library.map {
            FirmwareServices(library: $0, options: FirmwareUpdater.Options(), defaultPolicy: "latest")
        }
        return Engine(repository: store, definitions: CommissioningWorkflows.definitions(services), logger: logger)
    }

    @Test("sweep finds BIOS and firmware drift without changing anything; remediation clears the BIOS drift")
    func sweepAndRemediate() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-drift-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let library = try FirmwareWorkflowTests.repository(root)
        let types = ["s2.c2.small", "a1.c5.large"]
        let servers = try types.enumerated().map { index, name in
            ServerModel(deviceType: try #require(Self.catalog.deviceType(named: name)), index: index + 1)
        }
        let fleet = try await LabFleet(servers)
        let (lab, store) = (fleet.lab, fleet.store)
        let withFirmware = engine(store, firmware: library)
        let drift = DriftService(engine: withFirmware, store: store, catalog: Self.catalog)
        try await lab.withServer { port in
            for (index, type) in types.enumerated() {
                try await store.upsertServer(
                    ServerRecord(
                        id: "n\(index)", name: "n\(index)",
                        bmcAddress: Lab.baseURL(port: port, index: index).absoluteString, credential: "lab",
                        deviceType: type, status: "commissioned"))
            }
            // A server never classified, and one whose credential is not stored.
            try await store.upsertServer(
                ServerRecord(
                    id: "bare", name: "bare", bmcAddress: Lab.baseURL(port: port, index: 0).absoluteString,
                    credential: "lab"))
            try await store.upsertServer(
                ServerRecord(
                    id: "locked", name: "locked", bmcAddress: Lab.baseURL(port: port, index: 1).absoluteString,
                    credential: "nobody", deviceType: "a1.c5.large", status: "commissioned"))

            let sweep = try await drift.sweep(try await drift.servers(.all), tls: nil, actor: "test")
            #expect(sweep.runs.count == 4 && sweep.batch?.hasPrefix("drift-") == true)
            let results = await withFirmware.run(sweep.runs.map(\.id))
            let states = Dictionary(uniqueKeysWithValues: results.map { ($0.serverID, $0.state) })
            #expect(states["n0"] == .succeeded && states["n1"] == .succeeded && states["bare"] == .succeeded)
            #expect(states["locked"] == .failed)
            for node in lab.nodes {
                let counters = node.withState { $0.counters }
                #expect(counters.patches == 0 && counters.resets == 0 && counters.firmwareUpdates == 0)
            }
            let report = try await drift.report()
            let byServer = Dictionary(uniqueKeysWithValues: report.servers.map { ($0.serverID, $0) })
            for id in ["n0", "n1"] {
                let record = try #require(byServer[id])
                #expect(record.state == .drifted)
                #expect(record.biosDrift > 0, "\(id): the lab's defaults differ from the type's settings")
                #expect(record.settings.filter(\.drifted).allSatisfy { $0.fate == "change" && $0.desired != nil })
                #expect(record.firmwareChecked && record.firmwarePolicy == "latest")
                #expect(Set(record.firmware.map(\.component)) == ["bmc", "bios"])
            }
            #expect(byServer["n0"]?.firmware.first { $0.component == "bmc" }?.target == "1.74.06")
            #expect(byServer["bare"]?.state == .untyped)
            let locked = try #require(byServer["locked"])
            #expect(locked.state == .unreachable && locked.error?.contains("nobody") == true)
            #expect(
                report.types.first { $0.deviceType == "a1.c5.large" }.map { ($0.drifted, $0.unreachable) } ?? (0, 0)
                    == (1, 1))
            // The server's own status is the commissioning's, not the check's.
            #expect(try await store.server(id: "locked")?.status == "commissioned")

            // Remediation: a dry run changes nothing; applied, one PATCH and one reset per server.
            let selected = try await drift.servers(.servers(["n0", "n1", "bare"]))
            let dry = try await drift.remediate(selected, apply: false, actor: "test")
            #expect(dry.runs.map(\.serverID).sorted() == ["n0", "n1"])
            #expect(dry.runs.allSatisfy { $0.definition == CommissioningWorkflows.deviceSpecific })
            let dryResults = await withFirmware.run(dry.runs.map(\.id))
            #expect(dryResults.allSatisfy { $0.state == .succeeded }, "\(dryResults.map { $0.reason ?? "" })")
            #expect(lab.nodes.allSatisfy { $0.withState { $0.counters.patches } == 0 })
            let applied = try await drift.remediate(selected, apply: true, actor: "test")
            let appliedResults = await withFirmware.run(applied.runs.map(\.id))
            #expect(appliedResults.allSatisfy { $0.state == .succeeded }, "\(appliedResults.map { $0.reason ?? "" })")
            #expect(lab.nodes.allSatisfy { $0.withState { ($0.counters.patches, $0.counters.resets) } == (1, 1) })

            // Checked again (without a firmware repository): the BIOS is the type's, so in sync.
            let noFirmware = engine(store, firmware: nil)
            let again = try await DriftService(engine: noFirmware, store: store, catalog: Self.catalog).sweep(
                try await drift.servers(.servers(["n0", "n1"])), tls: nil, actor: "test")
            _ = await noFirmware.run(again.runs.map(\.id))
            for id in ["n0", "n1"] {
                let history = try await store.driftHistory(serverID: id, limit: 10)
                #expect(history.map(\.state) == [.inSync, .drifted])
                #expect(history.first?.biosDrift == 0 && history.first?.firmwareChecked == false)
            }
            let audit = try await store.auditLog(limit: 20).map(\.action)
            #expect(audit.filter { $0 == "drift.sweep" }.count == 2)
            #expect(audit.contains("drift.remediate") && audit.contains("drift.remediate.dry-run"))
        }
    }

    @Test("a selection names exactly one way, unknown servers and types are refused, naming them")
    func selectionErrors() async throws {
        let store = InMemoryStore(box: .ephemeral())
        let drift = DriftService(engine: engine(store, firmware: nil), store: store, catalog: Self.catalog)
        #expect(throws: ServiceError.self) { try ServerSelection(servers: ["a"], deviceType: "x", all: false) }
        #expect(throws: ServiceError.self) { try ServerSelection(servers: [], deviceType: nil, all: false) }
        await #expect { try await drift.servers(.servers(["ghost"])) } throws: {
            ($0 as? ServiceError)?.kind == .notFound && "\($0)".contains("ghost")
        }
        await #expect { try await drift.servers(.deviceType("no.such.type")) } throws: {
            ($0 as? ServiceError)?.field == .deviceType
        }
        try await store.upsertServer(
            ServerRecord(id: "s", name: "s", bmcAddress: "10.0.0.9", deviceType: "s2.c2.small"))
        await #expect { try await drift.remediate(try await drift.servers(.all), apply: false, actor: "t") } throws: {
            ($0 as? ServiceError)?.kind == .conflict
        }
        await #expect { try await drift.sweep(try await drift.servers(.all), tls: "maybe", actor: "t") } throws: {
            ($0 as? ServiceError)?.field == .tls
        }
        #expect(try await store.workflows(WorkflowFilter()).isEmpty)
    }
}

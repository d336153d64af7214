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

/// Boarding validation through the engine against the lab's three vendor profiles: intelligent commissioning
/// validates before it records (every check judged, read-only), `boarding-validation` finds faults injected behind
/// the tools' backs (a sensor past its critical threshold, a critical SEL entry, a link down, a failing drive),
/// marks the server needs-attention with the reasons, and a server failing validation during commissioning is not
/// handed to MAAS.
@Suite("Boarding validation workflows")
struct BoardingWorkflowTests {
    static let catalog = FirmwareWorkflowTests.catalog
    let logger = Logger(label: "boarding-workflow")

    static func servers() throws -> [ServerModel] {
        var dell = ServerModel(deviceType: try #require(catalog.deviceType(named: "p1.c1.large")), index: 3)
        dell.manufacturer = "Dell Inc."
        return [
            ServerModel(deviceType: try #require(catalog.deviceType(named: "s2.c2.small")), index: 1),
            ServerModel(deviceType: try #require(catalog.deviceType(named: "a1.c5.large")), index: 2), dell,
        ]
    }

    func report(_ store: any Store, _ run: String) async throws -> BoardingReport {
        let steps = try await store.steps(workflowID: run)
        let output = try #require(steps.first { $0.name == "validate" }?.output)
        return try BoardingReport(stepOutput: output)
    }

    @Test("commissioning validates every vendor; injected faults make a server need attention, with why")
    func commissionThenFaults() async throws {
        let servers = try Self.servers()
        let fleet = try await LabFleet(servers)
        let (lab, store) = (fleet.lab, fleet.store)
        let engine = DriftWorkflowTests().engine(store, firmware: nil)
        let validation = ValidationService(engine: engine, store: store, catalog: Self.catalog)
        try await lab.withServer { port in
            let ids = try await fleet.runEach(CommissioningWorkflows.intelligent, on: engine, port: port)
            for index in servers.indices {
                let report = try await report(store, ids[index])
                let verdicts = Dictionary(uniqueKeysWithValues: report.checks.map { ($0.name, $0) })
                #expect(report.passed, "n\(index): \(report.reasons)")
                for name in [BoardingCheck.Name.bootMode, .bmcRedfish, .sensors, .eventLog, .nicLinks, .drives] {
                    #expect(verdicts[name]?.result == .passed, "n\(index) \(name): \(verdicts[name]?.detail ?? "")")
                }
                #expect(verdicts[.bmcIPMI]?.result == .notChecked)
                #expect(verdicts[.firmware]?.result == .notChecked)
                #expect(try await store.server(id: "n\(index)")?.status == "configured")
            }
            // Behind the tools' backs: a hot CPU and a link down on the Supermicro, a critical SEL entry on the HPE,
            // a failing drive on the Dell.
            let hot = lab.nodes[0].withState { bmc in
                bmc.setSensorReading(bmc.sensorIDs[0], to: 120) && bmc.setLink(bmc.server.ports[1].name, up: false)
            }
            #expect(hot)
            #expect(lab.addLogEntry(bmc: 1, severity: "Critical", message: "Uncorrectable ECC error, DIMM 3") != nil)
            #expect(lab.nodes[2].withState { $0.setDriveHealth($0.server.drives[0].name, to: "Critical") })
            let before = lab.nodes.map { $0.withState { $0.counters } }
            let servers = try await validation.servers(ServerSelection(servers: [], deviceType: nil, all: true))
            let started = try await validation.start(servers, tls: nil, actor: "test")
            #expect(started.batch?.hasPrefix("validate-") == true)
            let checked = await engine.run(started.runs.map(\.id))
            #expect(checked.allSatisfy { $0.state == .succeeded }, "\(checked.map { $0.reason ?? "" })")
            for (index, node) in lab.nodes.enumerated() {
                let after = node.withState { $0.counters }
                #expect(after.patches == before[index].patches, "validation is read-only")
                #expect(after.resets == before[index].resets)
                #expect(after.firmwareUpdates == before[index].firmwareUpdates)
            }
            let n0 = try await validation.report("n0")
            let failed0 = Set(n0.failed.map(\.name))
            #expect(failed0 == [.sensors, .nicLinks], "\(n0.reasons)")
            #expect(n0.reasons.contains { $0.contains("at or above its critical") })
            let n1 = try await validation.report("n1")
            #expect(n1.failed.map(\.name) == [.eventLog], "\(n1.reasons)")
            #expect(n1.reasons.first?.contains("Uncorrectable ECC error, DIMM 3") == true)
            let n2 = try await validation.report("n2")
            #expect(n2.failed.map(\.name) == [.drives], "\(n2.reasons)")
            for index in servers.indices {
                #expect(try await store.server(id: "n\(index)")?.status == "needs-attention")
            }
            let attention = try await validation.attention()
            #expect(attention.map(\.serverID) == ["n0", "n1", "n2"])
            let audit = try await store.auditLog(limit: 50)
            #expect(audit.contains { $0.action == "server.needs-attention" && $0.target == "n1" })
            #expect(audit.contains { $0.action == "validation.start" })
            // Mended (the sensor cools, the link and the drive come back): validated again. The SEL entry stays.
            lab.nodes[0].withState { bmc in
                _ = bmc.setSensorReading(bmc.sensorIDs[0], to: 45)
                _ = bmc.setLink(bmc.server.ports[1].name, up: true)
            }
            lab.nodes[2].withState { _ = $0.setDriveHealth($0.server.drives[0].name, to: "OK") }
            let again = try await validation.start(servers, tls: nil, actor: "test")
            _ = await engine.run(again.runs.map(\.id))
            #expect(try await store.server(id: "n0")?.status == "validated")
            #expect(try await store.server(id: "n1")?.status == "needs-attention")
            #expect(try await store.server(id: "n2")?.status == "validated")
            #expect(try await validation.attention().map(\.serverID) == ["n1"])
        }
    }

    @Test("a server that fails validation while commissioning is recorded needs-attention and not handed to MAAS")
    func commissioningStopsAtValidation() async throws {
        let servers = [try Self.servers()[0]]
        let fleet = try await LabFleet(servers)
        let (lab, store) = (fleet.lab, fleet.store)
        lab.nodes[0].withState { _ = $0.setDriveHealth($0.server.drives[0].name, to: "Critical") }
        let engine = DriftWorkflowTests().engine(store, firmware: nil)
        try await lab.withServer { port in
            let run = try #require(
                try await fleet.runEach(CommissioningWorkflows.intelligent, on: engine, port: port).first)
            let steps = try await store.steps(workflowID: run)
            let commission = try #require(steps.first { $0.name == "commission" })
            #expect(commission.state == .skipped)
            #expect(commission.error?.contains("not handed over: boarding validation failed (drives:") == true)
            #expect(try await store.server(id: "n0")?.status == "needs-attention")
            let audit = try await store.auditLog(limit: 20)
            #expect(audit.contains { $0.action == "server.needs-attention" && $0.detail.contains("health Critical") })
        }
    }
}

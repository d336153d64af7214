import Catalog
import Firmware
import Foundation
import Inventory
import Lab
import Logging
import Orchestration
import Remote
import Store
import TestSupport
import Testing
import WorkflowEngine

/// Intelligent commissioning follows its recommendation: a security update pending (Supermicro BMC image marked
/// security) or a type whose firmware profile puts security first (HPE a1.c5.large, `enterprise_security`) with
/// updates available makes the run flash firmware before the BIOS settings, with one reset for both; a server with
/// nothing urgent (Dell, no image) gets BIOS settings only, its firmware steps skipped with the reason.
@Suite("Intelligent commissioning follows the recommendation")
struct RecommendedCommissioningTests {
    static let catalog = FirmwareWorkflowTests.catalog
    let logger = Logger(label: "recommended-commissioning")

    @Test("firmware first for a pending security update and a security-first profile; BIOS only otherwise")
    func followsRecommendation() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-rec-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let library = FirmwareLibrary(directory: root.appendingPathComponent("repo"))
        let incoming = root.appendingPathComponent("incoming")
        try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true)
        for (vendor, component, version, security) in [
            ("supermicro", "bmc", "1.74.06", true), ("hpe", "bmc", "1.80", false),
        ] {
            let file = incoming.appendingPathComponent("\(vendor)-\(component)-\(version).img")
            try LabFirmwareImage.make(component: component, version: version).write(to: file)
            _ = try library.add(
                file: file, vendor: vendor, component: component == "bmc" ? .bmc : .bios, version: version,
                priority: .high, security: security)
        }
        var dell = ServerModel(deviceType: try #require(Self.catalog.deviceType(named: "p1.c1.large")), index: 3)
        dell.manufacturer = "Dell Inc."
        let servers = [
            ServerModel(deviceType: try #require(Self.catalog.deviceType(named: "s2.c2.small")), index: 1),
            ServerModel(deviceType: try #require(Self.catalog.deviceType(named: "a1.c5.large")), index: 2), dell,
        ]
        let fleet = try await LabFleet(servers, taskPolls: 2)
        let (lab, store) = (fleet.lab, fleet.store)
        let engine = FirmwareWorkflowTests().engine(store, library)
        try await lab.withServer { port in
            let ids = try await fleet.runEach(CommissioningWorkflows.intelligent, on: engine, port: port)
            let decoder = JSONDecoder()
            func recommendation(_ index: Int) async throws -> RecommendStepOutput {
                let steps = try await store.steps(workflowID: ids[index])
                let output = try #require(steps.first { $0.name == "recommend" }?.output)
                return try decoder.decode(RecommendStepOutput.self, from: Data(output.utf8))
            }
            // Supermicro: the security BMC image steers it.
            let supermicro = try await recommendation(0)
            #expect(supermicro.firmwareFirst)
            #expect(supermicro.urgentFirmware == ["bmc 1.73.14 → 1.74.06 (security)"])
            #expect(supermicro.recommendation.workflow == .firmwareFirst)
            #expect(supermicro.recommendation.reasons.contains { $0.contains("security or critical firmware") })
            // HPE: no urgent image, but its profile puts security first and an update is available.
            let hpe = try await recommendation(1)
            #expect(hpe.firmwareFirst)
            #expect(hpe.urgentFirmware.isEmpty)
            #expect(hpe.recommendation.reasons.contains { $0.contains("enterprise_security") })
            // Dell: the repository has nothing for it.
            let dellRecommendation = try await recommendation(2)
            #expect(!dellRecommendation.firmwareFirst)
            #expect(dellRecommendation.decision.contains("no image for dell"))
            for (index, node) in lab.nodes.enumerated() {
                let counters = node.withState { $0.counters }
                #expect(counters.resets == 1, "node \(index): one reset in all")
                #expect(counters.firmwareUpdates == (index < 2 ? 1 : 0), "node \(index)")
                let steps = try await store.steps(workflowID: ids[index])
                let update = try #require(steps.first { $0.name == "update-firmware" })
                let verify = try #require(steps.first { $0.name == "verify-firmware" })
                if index < 2 {
                    #expect(update.state == .succeeded)
                    #expect(verify.state == .succeeded)
                } else {
                    #expect(update.state == .skipped)
                    #expect(update.error?.contains("no image for dell") == true)
                    #expect(verify.state == .skipped)
                }
            }
            let audit = try await store.auditLog(limit: 100)
            #expect(audit.contains { $0.action == "firmware.updated" && $0.detail.contains("1.73.14 → 1.74.06") })
        }
    }
}

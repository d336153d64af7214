import APIServer
import Firmware
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Inventory
import Lab
import Store
import Testing
import WorkflowEngine

/// Firmware through the API against the lab: the repository, a plan, an update run to the end, compliance.
@Suite("API firmware")
struct APIFirmwareTests {
    @Test("images, plan, firmware-update started over the API to the end, then compliance says compliant")
    func updateThroughTheAPI() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-api-fw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let library = FirmwareLibrary(directory: root.appendingPathComponent("repo"))
        let fixture = try await APIFixture.make(nodes: 1)
        let vendor = fixture.servers[0].manufacturer.lowercased().hasPrefix("hpe") ? "hpe" : "supermicro"
        let image = root.appendingPathComponent("bmc-1.80.img")
        try LabFirmwareImage.make(component: "bmc", version: "1.80").write(to: image)
        try library.add(file: image, vendor: vendor, component: .bmc, version: "1.80", priority: .high)
        try await fixture.withServer(firmware: library) { _, client, _ in
            let images = try await client.call(.get, "/api/v1/firmware/images", token: fixture.reader).array()
            #expect(images.first?["version"] as? String == "1.80")
            // Nothing recorded yet: no vendor, so no plan.
            let early = try await client.call(.get, "/api/v1/servers/node-1/firmware/plan", token: fixture.reader)
            #expect(early.status == .conflict)
            let badPolicy = try await client.call(
                .get, "/api/v1/firmware/compliance?policy=yolo", token: fixture.reader)
            #expect(badPolicy.status == .badRequest)
            #expect(try badPolicy.problem().detail.contains("`policy`"))
            let refused = try await client.call(
                .post, "/api/v1/servers/node-1/firmware/update", token: fixture.reader, json: "{}")
            #expect(refused.status == .forbidden)
            let started = try await client.call(
                .post, "/api/v1/servers/node-1/firmware/update", token: fixture.admin,
                json: #"{"firmware_policy":"latest"}"#)
            #expect(started.status == .accepted, "\(started.text)")
            let id = try #require(try started.array().first?["id"] as? String)
            let store = fixture.store
            try await eventually("the update to finish") {
                guard let run = try await store.workflow(id: id) else { return false }
                return APIWorkflowTests.finished.contains(run.state)
            }
            let run = try #require(try await store.workflow(id: id))
            #expect(run.state == .succeeded, "\(run.reason ?? "")")
            let firmware = try await client.call(.get, "/api/v1/servers/node-1/firmware", token: fixture.reader)
                .dictionary()
            let items = try #require(firmware["items"] as? [[String: Any]])
            #expect(items.contains { $0["component"] as? String == "bmc" && $0["version"] as? String == "1.80" })
            let plan = try await client.call(
                .get, "/api/v1/servers/node-1/firmware/plan?policy=latest", token: fixture.reader
            ).dictionary()
            let lines = try #require(plan["items"] as? [[String: Any]])
            #expect(lines.first?["decision"] as? String == "current")
            let report = try await client.call(
                .get, "/api/v1/firmware/compliance?policy=latest", token: fixture.reader
            ).dictionary()
            let rows = try #require(report["rows"] as? [[String: Any]])
            #expect(rows.contains { $0["server"] as? String == "node-1" && $0["status"] as? String == "compliant" })
            #expect(fixture.lab.nodes[0].withState { $0.counters.resets } == 0)
        }
    }
}

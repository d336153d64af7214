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

    @Test("a rollout started over the API: who may, bad waves named, two waves to the end, shown and listed")
    func rolloutThroughTheAPI() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-api-ro-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let library = FirmwareLibrary(directory: root.appendingPathComponent("repo"))
        let fixture = try await APIFixture.make(nodes: 2)
        for vendor in Set(fixture.servers.map { $0.manufacturer.lowercased().hasPrefix("hpe") ? "hpe" : "supermicro" })
        {
            let image = root.appendingPathComponent("\(vendor)-bmc-1.80.img")
            try LabFirmwareImage.make(component: "bmc", version: "1.80").write(to: image)
            try library.add(file: image, vendor: vendor, component: .bmc, version: "1.80", priority: .high)
        }
        try await fixture.withServer(firmware: library) { _, client, _ in
            let base = "/api/v1/firmware/rollouts"
            let refused = try await client.call(.post, base, token: fixture.reader, json: #"{"all":true}"#)
            #expect(refused.status == .forbidden)
            for (body, field) in [
                (#"{"all":true,"waves":"1,50%"}"#, "`waves`"), (#"{"all":true,"halt_at":"lots"}"#, "`halt_at`"),
                (#"{"all":true,"pause_between":"soon"}"#, "`pause_between`"),
                (#"{"all":true,"policy":"yolo"}"#, "`policy`"),
                (#"{"waves":"100%"}"#, "`servers`"),
            ] {
                let answer = try await client.call(.post, base, token: fixture.operatorToken, json: body)
                #expect(answer.status == .badRequest, "\(body): \(answer.text)")
                #expect(try answer.problem().detail.contains(field), "\(body): \(answer.text)")
            }
            let started = try await client.call(
                .post, base, token: fixture.operatorToken,
                json: #"{"servers":["node-1","node-2"],"waves":"1,100%","halt_at":"0%","policy":"latest"}"#)
            #expect(started.status == .accepted, "\(started.text)")
            let id = try #require(try started.dictionary()["id"] as? String)
            let store = fixture.store
            try await eventually("the rollout to finish") {
                try await store.workflow(id: id).map { APIWorkflowTests.finished.contains($0.state) } ?? false
            }
            let shown = try await client.call(.get, base + "/\(id)", token: fixture.reader).dictionary()
            #expect(shown["state"] as? String == "succeeded", "\(shown)")
            let waves = try #require(shown["waves"] as? [[String: Any]])
            #expect(waves.map { $0["servers"] as? [String] ?? [] } == [["node-1"], ["node-2"]])
            #expect(waves.allSatisfy { $0["state"] as? String == "done" && ($0["updated"] as? [String])?.count == 1 })
            let listed = try await client.call(.get, base, token: fixture.reader).array()
            #expect(listed.map { $0["id"] as? String } == [id])
            #expect(try await client.call(.get, base + "/ghost", token: fixture.reader).status == .notFound)
            #expect(fixture.lab.nodes.allSatisfy { $0.withState { $0.counters.firmwareUpdates } == 1 })
        }
    }

    @Test("a discovered server's recommendation: firmware-first when a security image is pending, else as classified")
    func recommendation() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-api-rec-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let library = FirmwareLibrary(directory: root.appendingPathComponent("repo"))
        let fixture = try await APIFixture.make(nodes: 3)
        try await fixture.withServer(firmware: library) { _, client, _ in
            let early = try await client.call(.get, "/api/v1/servers/node-1/recommendation", token: fixture.reader)
            #expect(early.status == .conflict)
            #expect(try early.problem().detail.contains("discover it first"))
            #expect(
                try await client.call(.get, "/api/v1/servers/ghost/recommendation", token: fixture.reader).status
                    == .notFound)
            let store = fixture.store
            for node in 1...3 {
                let discover = try await client.call(
                    .post, "/api/v1/servers/node-\(node)/discover", token: fixture.operatorToken, json: "{}")
                #expect(discover.status == .accepted, "\(discover.text)")
            }
            try await eventually("discovery to finish") {
                try await store.workflows(WorkflowFilter()).allSatisfy { APIWorkflowTests.finished.contains($0.state) }
            }
            // A server the catalog alone sends to intelligent commissioning (no security firmware profile).
            var chosen: (node: Int, vendor: String)?
            for node in 1...3 {
                let answer = try await client.call(
                    .get, "/api/v1/servers/node-\(node)/recommendation", token: fixture.reader
                ).dictionary()
                #expect((answer["urgent_firmware"] as? [String])?.isEmpty == true)
                if (answer["recommendation"] as? [String: Any])?["workflow"] as? String == "intelligent-commissioning" {
                    let manufacturer = fixture.servers[node - 1].manufacturer.lowercased()
                    chosen = (
                        node,
                        manufacturer.hasPrefix("hpe") ? "hpe" : manufacturer.hasPrefix("dell") ? "dell" : "supermicro"
                    )
                    break
                }
            }
            let (node, vendor) = try #require(chosen, "one of the lab's first three types has no security profile")
            let image = root.appendingPathComponent("bmc-1.80.img")
            try LabFirmwareImage.make(component: "bmc", version: "1.80").write(to: image)
            try library.add(
                file: image, vendor: vendor, component: .bmc, version: "1.80", priority: .high, security: true)
            let steered = try await client.call(
                .get, "/api/v1/servers/node-\(node)/recommendation", token: fixture.reader
            ).dictionary()
            let recommendation = try #require(steered["recommendation"] as? [String: Any])
            #expect(recommendation["workflow"] as? String == "firmware-first", "\(recommendation)")
            let urgent = try #require(steered["urgent_firmware"] as? [String])
            #expect(urgent.count == 1 && urgent[0].hasPrefix("bmc ") && urgent[0].hasSuffix("→ 1.80 (security)"))
            #expect((recommendation["reasons"] as? [String])?.last?.contains("update firmware first") == true)
        }
    }
}

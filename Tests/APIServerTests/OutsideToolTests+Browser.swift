import APIServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Remote
import Store
import TestSupport
import Testing
import WorkflowEngine

/// The dashboard in a real browser: headless Chromium loads it while a batch runs in the lab; the DOM must show the
/// servers and a workflow in progress, and a screenshot is kept in test-artefacts/.
extension OutsideToolTests {

    @Test("the fleet view shows the servers and live progress of a running batch", .enabled(if: Peer.chromium.enabled))
    func fleetView() async throws {
        let chromium = try Peer.value("HWA_TEST_CHROMIUM")
        // Hosts take 600 s to come back after their BIOS reset, so the batch is in progress while the page loads.
        let fixture = try await APIFixture.make(nodes: 4, postSeconds: 600)
        let store = fixture.store
        try FileManager.default.createDirectory(at: Self.artefacts, withIntermediateDirectories: true)
        try await fixture.withServer { _, client, _ in
            let port = try #require(client.port)
            let started = try await client.call(
                .post, "/api/v1/workflows", token: fixture.admin,
                json: #"{"definition":"intelligent-commissioning","servers":["node-1","node-2","node-3","node-4"]}"#)
            let batch = try #require(try started.array().first?["batch"] as? String)
            try await eventually("the runs to reach apply-bios (or stop)") {
                var applying = 0
                for run in try await store.workflows(WorkflowFilter(batch: batch)) {
                    let steps = try await store.steps(workflowID: run.id)
                    if steps.contains(where: { $0.name == "apply-bios" && $0.state == .running }) { applying += 1 }
                }
                return applying >= 2
            }
            let url = "http://127.0.0.1:\(port)/dashboard/#stream=1&token=\(fixture.reader)"
            let runner = ProcessRunner(logger: Logger(label: "chromium"))
            let profile = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-chromium-\(UUID())")
            defer { try? FileManager.default.removeItem(at: profile) }
            let common = [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--user-data-dir=\(profile.path)", "--window-size=1400,1000", "--virtual-time-budget=8000",
            ]
            let dump = try await runner.run(
                Command(chromium, common + ["--dump-dom", url], timeout: .seconds(120)))
            #expect(dump.succeeded, "\(dump.termination): \(dump.standardError.suffix(2000))")
            let dom = dump.standardOutput
            try dom.write(
                to: Self.artefacts.appendingPathComponent("dashboard-dom.html"), atomically: true, encoding: .utf8)
            for index in 1...4 {
                #expect(dom.contains("data-server=\"node-\(index)\""), "server row node-\(index)")
            }
            #expect(dom.contains("<span class=\"state running\">running</span>"), "a workflow shown running")
            #expect(dom.contains("class=\"step running\""), "a step bar in progress")
            #expect(dom.contains("class=\"step succeeded\""), "finished step bars")
            #expect(!dom.contains("id=\"login\" hidden=\"\"") || dom.contains("id=\"app\""), "the token was accepted")
            #expect(!dom.contains("The token was refused"))

            let screenshot = Self.artefacts.appendingPathComponent("dashboard.png")
            try? FileManager.default.removeItem(at: screenshot)
            let shot = try await runner.run(
                Command(chromium, common + ["--screenshot=\(screenshot.path)", url], timeout: .seconds(120)))
            #expect(shot.succeeded, "\(shot.termination): \(shot.standardError.suffix(2000))")
            let png = try Data(contentsOf: screenshot)
            #expect(png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]))

            // Stop the batch before the lab goes away, so no BMC request is in flight when it does.
            for run in try await store.workflows(WorkflowFilter(batch: batch)) where run.state == .running {
                let cancelled = try await client.call(.post, "/api/v1/workflows/\(run.id)/cancel", token: fixture.admin)
                #expect(cancelled.status == .accepted)
            }
            try await eventually("the batch to stop") {
                try await store.workflows(WorkflowFilter(batch: batch)).allSatisfy { $0.state != .running }
            }
        }
    }
}

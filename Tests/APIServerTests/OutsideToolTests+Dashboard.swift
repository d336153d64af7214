import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Remote
import Store
import TestSupport
import Testing
import WorkflowEngine

/// The dashboard as an operator uses it, in headless Chromium driven by Playwright (`scripts/peers/dashboard_flows.py`):
/// log in through the form, the fleet, a server's detail, the workflows view; over a store that also holds a few
/// thousand finished runs, with the default live stream. Any console error, failed request or error answer fails.
extension OutsideToolTests {

    @Test(
        "log in, fleet, a server's detail and the workflows page, over 3,000 stored runs, without a console error",
        .enabled(if: Peer.playwright.enabled))
    func dashboardFlows() async throws {
        let python = try Peer.value("HWA_TEST_PLAYWRIGHT")
        let chromium = try Peer.value("HWA_TEST_CHROMIUM")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-dashboard-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: Self.artefacts, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: scratch.appendingPathComponent("store.sqlite").path, box: .ephemeral())
        let history = SyntheticHistory(runs: 3_000, events: 30_000, servers: 300)
        try await store.write(history)
        let fixture = try await APIFixture.make(nodes: 2, store: store)
        try await fixture.withServer { _, client, _ in
            let port = try #require(client.port)
            let started = try await client.call(
                .post, "/api/v1/workflows", token: fixture.admin,
                json: #"{"definition":"intelligent-commissioning","servers":["node-1","node-2"]}"#)
            #expect(started.status == .accepted, "\(started.text)")
            let batch = try #require(try started.array().first?["batch"] as? String)
            try await eventually("the batch to finish") {
                try await store.workflows(WorkflowFilter(batch: batch)).allSatisfy {
                    APIWorkflowTests.finished.contains($0.state)
                }
            }
            // The token goes to the script in a 0600 file, never on its command line.
            let tokenFile = scratch.appendingPathComponent("token")
            try Data(fixture.reader.utf8).write(to: tokenFile)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenFile.path)
            let script = Peer.repositoryRoot.appendingPathComponent("scripts/peers/dashboard_flows.py").path
            let run = try await ProcessRunner(logger: Logger(label: "playwright")).run(
                Command(
                    python, [script, "http://127.0.0.1:\(port)", tokenFile.path, Self.artefacts.path, chromium],
                    timeout: .seconds(300)))
            #expect(run.succeeded, "\(run.termination): \(run.standardError.suffix(3000))")
            try Data(run.standardOutput.utf8).write(to: Self.artefacts.appendingPathComponent("dashboard-flows.json"))
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any],
                "\(run.standardOutput.suffix(2000))")
            let steps = try #require(report["steps"] as? [[String: Any]])
            func detail(_ name: String) -> [String: Any] {
                steps.first { $0["name"] as? String == name }?["detail"] as? [String: Any] ?? [:]
            }
            #expect(steps.map { $0["name"] as? String } == ["login", "fleet", "detail", "workflows"])
            for step in steps { #expect(step["ok"] as? Bool == true, "\(step)") }
            #expect(detail("fleet")["servers"] as? [String] == ["node-1", "node-2"])
            #expect((detail("detail")["heading"] as? String)?.hasPrefix("node-1") == true)
            #expect((detail("detail")["text"] as? String)?.contains("Manufacturer") == true, "the inventory is shown")
            // 3,000 stored runs and the batch's 2, paged by the server.
            #expect(detail("workflows")["rows"] as? Int == 25)
            #expect((detail("workflows")["page"] as? String)?.hasSuffix("of 3002") == true, "\(detail("workflows"))")
            #expect(report["console_errors"] as? [String] == [], "\(report["console_errors"] ?? "")")
            #expect(report["failed_requests"] as? [String] == [], "\(report["failed_requests"] ?? "")")
            #expect(report["error_responses"] as? [String] == [], "\(report["error_responses"] ?? "")")
            for name in ["login", "fleet", "detail", "workflows"] {
                let shot = try Data(
                    contentsOf: Self.artefacts.appendingPathComponent("dashboard-\(name).png"))
                #expect(shot.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            }
        }
    }
}

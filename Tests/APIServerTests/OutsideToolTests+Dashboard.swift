import Catalog
import Firmware
import Foundation
import HTTPTypes
import HummingbirdTesting
import Lab
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
        "log in, fleet, servers' details and the workflows page, over 3,000 stored runs, without a console error",
        .enabled(if: Peer.playwright.enabled))
    func dashboardFlows() async throws {
        let scratch = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let store = try SQLiteStore(path: scratch.appendingPathComponent("store.sqlite").path, box: .ephemeral())
        let history = SyntheticHistory(runs: 3_000, events: 30_000, servers: 300)
        try await store.write(history)
        // node-3 is never commissioned: its detail must load without an error either, first with no inventory, then
        // (below) with an inventory but no BIOS plan yet.
        let fixture = try await APIFixture.make(nodes: 3, store: store)
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
            // Discovered, never planned: its detail must not ask for a BIOS plan that is not there.
            var third = try #require(try await store.server(id: "node-3"))
            third.inventory = try #require(try await store.server(id: "node-1")?.inventory)
            try await store.upsertServer(third)
            let shown = try await client.call(.get, "/api/v1/servers/node-3", token: fixture.reader).dictionary()
            #expect(shown["has_inventory"] as? Bool == true && shown["has_bios_plan"] as? Bool == false)
            let planned = try await client.call(.get, "/api/v1/servers/node-1", token: fixture.reader).dictionary()
            #expect(planned["has_bios_plan"] as? Bool == true)
            let report = try await Self.dashboardFlows(
                port: port, token: fixture.reader, scratch: scratch, arguments: ["browse"],
                steps: ["login", "fleet", "detail", "workflows"])
            #expect(report.detail("fleet")["servers"] as? [String] == ["node-1", "node-2", "node-3"])
            #expect((report.detail("detail")["heading"] as? String)?.hasPrefix("node-1") == true)
            #expect(
                (report.detail("detail")["text"] as? String)?.contains("Manufacturer") == true, "the inventory is shown"
            )
            #expect(
                ["intelligent-commissioning", "firmware-first"].contains {
                    (report.detail("detail")["recommendation"] as? String)?.hasPrefix($0) == true
                }, "the recommendation is shown: \(report.detail("detail"))")
            // 3,000 stored runs and the batch's 2, paged by the server.
            #expect(report.detail("workflows")["rows"] as? Int == 25)
            #expect(
                (report.detail("workflows")["page"] as? String)?.hasSuffix("of 3002") == true,
                "\(report.detail("workflows"))")
        }
    }

    @Test(
        "an operator selects servers and starts a batch, watches the bars move, resumes a waiting run, cancels one",
        .enabled(if: Peer.playwright.enabled))
    func dashboardOperates() async throws {
        let scratch = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // node-4 is hardware no catalog type describes: its run waits for a decision. Hosts take 600 s to come back
        // after their BIOS reset, so the other runs are still running when the operator cancels one.
        let fixture = try await APIFixture.make(nodes: 3, unknown: 1, postSeconds: 600)
        let store = fixture.store
        let type = try #require(fixture.labTypes.first)
        try await fixture.withServer { _, client, _ in
            let port = try #require(client.port)
            let report = try await Self.dashboardFlows(
                port: port, token: fixture.operatorToken, scratch: scratch,
                arguments: ["operate", "node-1,node-2,node-4", "node-4", type, "node-1"],
                steps: ["login", "fleet", "start-batch", "bars-move", "resume", "cancel"])
            #expect((report.detail("start-batch")["result"] as? String)?.hasPrefix("started 3 run(s)") == true)
            #expect(
                (report.detail("bars-move")["after"] as? Int ?? 0)
                    >= (report.detail("bars-move")["before"] as? Int ?? 0) + 3)
            #expect(report.detail("resume")["row_type"] as? String == type, "the fleet row shows the chosen type")
            #expect(
                (report.detail("resume")["bars"] as? [String])?.dropFirst().first == "step succeeded", "classify bar")

            // What the clicks did, as the store records it.
            let runs = try await store.workflows(WorkflowFilter())
            let node1 = try #require(runs.first { $0.serverID == "node-1" })
            #expect(node1.state == .cancelled)
            let node4 = try #require(runs.first { $0.serverID == "node-4" })
            let events = try await store.events(workflowID: node4.id, after: 0, limit: 1000)
            #expect(events.contains { $0.kind == .workflowResumed }, "\(events.map(\.kind))")
            #expect(try await store.server(id: "node-4")?.deviceType == type)
            #expect(runs.filter { $0.serverID == "node-3" }.isEmpty, "node-3 was not selected")

            // Stop the batch before the lab goes away, so no BMC request is in flight when it does.
            for run in try await store.workflows(WorkflowFilter()) where [.running, .pending].contains(run.state) {
                _ = try await client.call(.post, "/api/v1/workflows/\(run.id)/cancel", token: fixture.admin)
            }
            try await eventually("the runs to stop") {
                try await store.workflows(WorkflowFilter()).allSatisfy { ![.running, .pending].contains($0.state) }
            }
        }
    }

    @Test(
        "server detail: Validate now, the report drawn from the live events; a failing drive needs attention",
        .enabled(if: Peer.playwright.enabled))
    func dashboardValidate() async throws {
        let scratch = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let fixture = try await APIFixture.make(nodes: 2)
        let store = fixture.store
        try await fixture.withServer { _, client, _ in
            let port = try #require(client.port)
            try await fixture.recordLabTypes([1], status: "commissioned")
            #expect(fixture.lab.nodes[1].withState { $0.setDriveHealth($0.server.drives[0].name, to: "Critical") })
            let report = try await Self.dashboardFlows(
                port: port, token: fixture.operatorToken, scratch: scratch, arguments: ["validate", "node-2"],
                steps: ["login", "fleet", "validate"])
            let shown = report.detail("validate")
            #expect(shown["verdict"] as? String == "needs-attention", "\(shown)")
            #expect(shown["status"] as? String == "needs-attention", "\(shown)")
            let checks = try #require(shown["checks"] as? [[String]])
            #expect(checks.count == 9 && checks.allSatisfy { $0.count == 3 }, "\(checks)")
            #expect(checks.contains { $0[0] == "drives" && $0[1] == "failed" && $0[2].contains("health Critical") })
            #expect(try await store.server(id: "node-2")?.status == "needs-attention")
        }
    }

    @Test(
        "drift view: check all, by type, a server's settings with their fates, a dry-run remediation in one click",
        .enabled(if: Peer.playwright.enabled))
    func dashboardDrift() async throws {
        let scratch = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let fixture = try await APIFixture.make(nodes: 2)
        let store = fixture.store
        let types = fixture.labTypes
        try await fixture.withServer { _, client, _ in
            let port = try #require(client.port)
            try await fixture.recordLabTypes(0..<2, status: "commissioned")
            let report = try await Self.dashboardFlows(
                port: port, token: fixture.operatorToken, scratch: scratch, arguments: ["drift", "2", types[1]],
                steps: ["login", "fleet", "drift-sweep", "drift-type", "drift-server", "drift-remediate"])
            #expect(report.detail("drift-sweep")["states"] as? [String] == ["node-1 drifted", "node-2 drifted"])
            #expect(report.detail("drift-type")["servers"] as? [String] == ["node-2"])
            let settings = try #require(report.detail("drift-server")["settings"] as? [[String]])
            #expect(!settings.isEmpty && settings.allSatisfy { $0.count == 6 })
            #expect(settings.contains { $0[4] == "change" }, "\(settings)")
            #expect(
                (report.detail("drift-remediate")["summary"] as? String)?.hasPrefix("remediation (dry run): 1 run(s)")
                    == true)

            // What the clicks did, as the store records it: two checks, then one dry run of node-2 only.
            try await eventually("the runs to end") {
                try await store.workflows(WorkflowFilter()).allSatisfy { APIWorkflowTests.finished.contains($0.state) }
            }
            let runs = try await store.workflows(WorkflowFilter())
            #expect(runs.filter { $0.definition == "drift-check" }.count == 2)
            let remediation = runs.filter { $0.definition == "device-specific-provisioning" }
            #expect(remediation.map(\.serverID) == ["node-2"] && remediation.allSatisfy { $0.state == .succeeded })
            #expect(remediation.first?.input.contains("\"dry_run\":\"true\"") == true, "\(remediation.map(\.input))")
            #expect(fixture.lab.nodes.allSatisfy { $0.withState { $0.counters.patches + $0.counters.resets } == 0 })
        }
    }

    @Test(
        "firmware rollout from the dashboard: halts by itself, goes on with one click, halts again, aborted",
        .enabled(if: Peer.playwright.enabled))
    func dashboardRollout() async throws {
        let scratch = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Every vendor's newer BMC image is faulty; the version the lab runs is there to roll back to.
        let library = FirmwareLibrary(directory: scratch.appendingPathComponent("repo"))
        for vendor in ["supermicro", "hpe", "dell"] {
            for (version, fault) in [("1.80", LabFirmwareImage.Fault.exception), ("1.73.14", nil)] {
                let file = scratch.appendingPathComponent("\(vendor)-\(version).img")
                try LabFirmwareImage.make(component: "bmc", version: version, fault: fault).write(to: file)
                try library.add(file: file, vendor: vendor, component: .bmc, version: version, priority: .high)
            }
        }
        let fixture = try await APIFixture.make(nodes: 2)
        let store = fixture.store
        try await fixture.withServer(firmware: library) { _, client, _ in
            let port = try #require(client.port)
            let report = try await Self.dashboardFlows(
                port: port, token: fixture.operatorToken, scratch: scratch, arguments: ["rollout"],
                steps: ["login", "fleet", "rollout-start", "rollout-go-on", "rollout-abort"])
            let first = try #require(report.detail("rollout-start")["waves"] as? [[String]])
            #expect(first.first?[2] == "halted" && first.first?[4] == "node-1" && first.first?[5] == "node-1")
            #expect(first.dropFirst().first?[2] == "not_started", "\(first)")
            let second = try #require(report.detail("rollout-go-on")["waves"] as? [[String]])
            #expect(second.map { $0[2] } == ["went_on", "halted"], "\(second)")
            #expect(report.detail("rollout-abort")["state"] as? String == "cancelled")
            let rollout = try #require(try await store.workflows(WorkflowFilter(definition: "firmware-rollout")).first)
            #expect(rollout.state == .cancelled)
            let audit = try await store.auditLog(limit: 20).map(\.action)
            #expect(audit.contains("firmware.rollout") && audit.contains("workflow.resume"))
        }
    }

    @Test(
        "catalog view: unknown hardware as one proposal of 2 servers, accepted under a name with the row's form",
        .enabled(if: Peer.playwright.enabled))
    func dashboardProposals() async throws {
        let scratch = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = scratch.appendingPathComponent("catalog")
        try CatalogWriter.write(try CatalogLoader.load(directory: nil).catalog, to: directory)
        let fixture = try await APIFixture.make(nodes: 1, unknown: 2, catalogDirectory: directory.path)
        try await fixture.withServer { _, client, _ in
            let port = try #require(client.port)
            try await APIProposalTests.discoverAll(fixture, client)
            let proposals = try await client.call(.get, "/api/v1/catalog/proposals", token: fixture.reader).array()
            let id = try #require(proposals.first?["id"] as? String)
            let report = try await Self.dashboardFlows(
                port: port, token: fixture.admin, scratch: scratch, arguments: ["proposals", id, "a9.c1.large"],
                steps: ["login", "fleet", "proposals-list", "proposals-accept"])
            let rows = try #require(report.detail("proposals-list")["rows"] as? [[String]])
            #expect(rows.count == 1 && rows[0][0] == id && rows[0][3] == "2", "\(rows)")
            #expect(rows[0][6] == "node-2, node-3", "\(rows)")
            #expect(
                report.detail("proposals-accept")["class"] as? String == "ok", "\(report.detail("proposals-accept"))")
            #expect(
                (report.detail("proposals-accept")["result"] as? String)?.hasPrefix(
                    "Added a9.c1.large (2 server(s)) to ")
                    == true, "\(report.detail("proposals-accept"))")
            // What the click did: the vendor file holds the type, and the directory loads with it.
            let reloaded = try CatalogLoader.load(directory: directory.path).catalog
            #expect(reloaded.deviceTypes["a9.c1.large"]?.hardware.cpu.cores == 16)
            let audit = try await fixture.store.auditLog(limit: 10).map(\.action)
            #expect(audit.contains("catalog.proposal.accept"))
        }
    }

    /// A new private folder for one test's store and token file (the caller removes it).
    static func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-dashboard-\(UUID())")
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return folder
    }

    /// What `dashboard_flows.py` saw: its JSON report, and each step's detail by name.
    struct DashboardReport {
        /// The script's report (`steps`, `console_errors`, `failed_requests`, `error_responses`).
        let json: [String: Any]

        /// The detail the step `name` returned; empty when it has none.
        func detail(_ name: String) -> [String: Any] {
            let steps = json["steps"] as? [[String: Any]] ?? []
            return steps.first { $0["name"] as? String == name }?["detail"] as? [String: Any] ?? [:]
        }
    }

    /// Runs `scripts/peers/dashboard_flows.py` against the server on `port` (the token in a 0600 file under
    /// `scratch`, never on the script's command line) and returns its report (its JSON also kept in
    /// test-artefacts/), after expecting it to have run `steps` in order, each one ok, cleanly (`expectClean`).
    static func dashboardFlows(port: Int, token: String, scratch: URL, arguments: [String], steps: [String])
        async throws -> DashboardReport
    {
        try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
        let tokenFile = scratch.appendingPathComponent("token")
        try Data(token.utf8).write(to: tokenFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenFile.path)
        let script = Peer.repositoryRoot.appendingPathComponent("scripts/peers/dashboard_flows.py").path
        let run = try await ProcessRunner(logger: Logger(label: "playwright")).run(
            Command(
                try Peer.value("HWA_TEST_PLAYWRIGHT"),
                [
                    script, "http://127.0.0.1:\(port)", tokenFile.path, artefacts.path,
                    try Peer.value("HWA_TEST_CHROMIUM"),
                ]
                    + arguments,
                timeout: .seconds(300)))
        #expect(run.succeeded, "\(run.termination): \(run.standardError.suffix(3000))")
        try Data(run.standardOutput.utf8).write(
            to: artefacts.appendingPathComponent("dashboard-flows-\(arguments.first ?? "browse").json"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any],
            "\(run.standardOutput.suffix(2000))")
        for step in json["steps"] as? [[String: Any]] ?? [] { #expect(step["ok"] as? Bool == true, "\(step)") }
        try expectClean(json, steps: steps)
        return DashboardReport(json: json)
    }

    /// `report` ran `steps` in order, with no console error, failed request or error answer, and a screenshot each.
    static func expectClean(_ report: [String: Any], steps expected: [String]) throws {
        let steps = report["steps"] as? [[String: Any]] ?? []
        #expect(steps.map { $0["name"] as? String } == expected)
        #expect(report["console_errors"] as? [String] == [], "\(report["console_errors"] ?? "")")
        #expect(report["failed_requests"] as? [String] == [], "\(report["failed_requests"] ?? "")")
        #expect(report["error_responses"] as? [String] == [], "\(report["error_responses"] ?? "")")
        for name in expected {
            let shot = try Data(contentsOf: artefacts.appendingPathComponent("dashboard-\(name).png"))
            #expect(shot.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }
}

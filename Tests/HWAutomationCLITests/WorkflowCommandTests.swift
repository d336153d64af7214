import Catalog
import Foundation
import Inventory
import Lab
import Store
import TestSupport
import Testing
import WorkflowEngine

/// `hwautomation workflow`, against a lab served by the test process (so the test reads the BMCs' counters).
@Suite("hwautomation workflow")
struct WorkflowCommandTests {
    static let types = ["a1.c5.large", "a1.c5.xlarge", "d2.c4.storage.pliops1", "flex-6258R.c.small"]

    static func lab(nodes: Int, post: Double, password: String, clock: any LabClock = RealLabClock()) throws -> Lab {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let servers = try (0..<nodes).map { index in
            ServerModel(
                deviceType: try #require(catalog.deviceType(named: types[index % types.count])), index: index + 1)
        }
        var settings = SimulatedBMC.Settings()
        settings.password = password
        settings.postSeconds = post
        return Lab(servers: servers, settings: settings, clock: clock)
    }

    /// A state directory with the lab's login stored as credential `lab`, and a batch file of `nodes` BMCs.
    static func prepare(port: Int, nodes: Int, password: String) async throws -> (state: URL, batch: String) {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-wf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let stored = try await CLI.run(
            [
                "credentials", "set", "lab", "--user", "admin", "--from-env", "LAB_PW", "--allow", "127.0.0.1",
                "--allow-plain-http",
            ],
            environment: ["HWA_STATE_DIR": state.path, "LAB_PW": password])
        #expect(stored.exitCode == 0, "\(stored.stderr)")
        let rows = (0..<nodes).map { "\(Lab.baseURL(port: port, index: $0).absoluteString),lab,node-\($0)" }
        let batch = state.appendingPathComponent("batch.csv").path
        try Data((["bmc,credential,name"] + rows).joined(separator: "\n").utf8).write(
            to: URL(fileURLWithPath: batch))
        return (state, batch)
    }

    /// A lab of `nodes` servers, commissioned by `workflow run intelligent-commissioning` (exit 0) into a fresh state
    /// directory; `body` gets the lab and the environment that points commands at that state.
    static func withCommissionedLab(
        nodes: Int, _ body: @escaping @Sendable (Lab, [String: String]) async throws -> Void
    ) async throws {
        let password = "lab-\(UInt32.random(in: 0...UInt32.max))"
        let lab = try lab(nodes: nodes, post: 0.1, password: password)
        try await lab.withServer { port in
            let (state, batch) = try await prepare(port: port, nodes: nodes, password: password)
            defer { try? FileManager.default.removeItem(at: state) }
            let environment = ["HWA_STATE_DIR": state.path, "HWA_CONFIG_DIR": ""]
            let commissioned = try await CLI.run(
                ["workflow", "run", "intelligent-commissioning", "--batch", batch, "--first-poll", "0.1"],
                environment: environment)
            #expect(commissioned.exitCode == 0, "\(commissioned.stdout)\n\(commissioned.stderr)")
            try await body(lab, environment)
        }
    }

    @Test("kill -9 mid-batch, then resume --all: every run completes, no PATCH or reset twice, no event lost")
    func crashAndResume() async throws {
        let password = "lab-\(UInt32.random(in: 0...UInt32.max))"
        let nodes = 20
        // Lab time stands still until the kill: a host reset before it stays in POST, so the run that reset it is
        // certainly in the middle of apply-bios when the process dies. Time moves on only for the resume.
        let clock = ManualLabClock()
        let lab = try Self.lab(nodes: nodes, post: 3, password: password, clock: clock)
        try await lab.withServer { port in
            let (state, batch) = try await Self.prepare(port: port, nodes: nodes, password: password)
            defer { try? FileManager.default.removeItem(at: state) }
            let printed = state.appendingPathComponent("events.jsonl")
            _ = FileManager.default.createFile(atPath: printed.path, contents: nil)
            let worker = Process()
            worker.executableURL = URL(fileURLWithPath: try CLI.executable)
            worker.arguments = [
                "workflow", "run", "intelligent-commissioning", "--batch", batch, "--json", "--concurrency", "5",
                "--first-poll", "0.2",
            ]
            var environment = ProcessInfo.processInfo.environment
            environment["HWA_STATE_DIR"] = state.path
            environment["HWA_CONFIG_DIR"] = ""
            worker.environment = environment
            worker.standardOutput = try FileHandle(forWritingTo: printed)
            worker.standardError = FileHandle.nullDevice
            try worker.run()
            // Kill it while a host is in POST after its BIOS reset: that run's apply-bios is in flight.
            while lab.nodes.allSatisfy({ node in node.withState { $0.counters.resets } == 0 }) {
                guard worker.isRunning else { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(worker.processIdentifier, SIGKILL)
            worker.waitUntilExit()
            #expect(worker.terminationReason == .uncaughtSignal)

            // Lab time runs 10× fast while the resume works (a POST of 3 lab seconds takes 0.3 s).
            let resumed = try await withThrowingTaskGroup(of: CLI.Result?.self) { group in
                group.addTask {
                    try await CLI.run(
                        ["workflow", "resume", "--all", "--first-poll", "0.2", "--json"],
                        environment: ["HWA_STATE_DIR": state.path], timeout: .seconds(300))
                }
                group.addTask {
                    while !Task.isCancelled {
                        clock.advance(by: 0.5)
                        try? await Task.sleep(for: .milliseconds(50))
                    }
                    return nil
                }
                var result: CLI.Result?
                while let next = try await group.next() {
                    if let next {
                        result = next
                        group.cancelAll()
                    }
                }
                return try #require(result)
            }
            #expect(resumed.exitCode == 0, "\(resumed.stdout)\n\(resumed.stderr)")

            let store = try SQLiteStore(
                path: state.appendingPathComponent("hwautomation.sqlite").path,
                box: try SecretBox.keyFile(state.appendingPathComponent("credentials.key").path))
            let runs = try await store.workflows(WorkflowFilter())
            #expect(runs.count == nodes)
            #expect(
                runs.allSatisfy { $0.state == .succeeded },
                "\(runs.map { "\($0.serverID) \($0.state) \($0.reason ?? "")" })")
            for node in lab.nodes {
                let counters = node.withState { $0.counters }
                #expect(counters.patches == 1, "BMC \(node.index) was PATCHed \(counters.patches) times")
                #expect(counters.resets == 1, "BMC \(node.index) was reset \(counters.resets) times")
                #expect(counters.overlappingChanges == 0)
            }
            // No event lost: the log has no gap, and every event the killed process printed is in it, unchanged.
            let events = try await store.events(workflowID: nil, after: 0, limit: 100_000)
            #expect(events.compactMap(\.seq) == Array(1...Int64(events.count)))
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let before = String(decoding: try Data(contentsOf: printed), as: UTF8.self).split(separator: "\n")
                .compactMap { try? decoder.decode(EventRecord.self, from: Data($0.utf8)) }
            #expect(!before.isEmpty)
            let bySeq = Dictionary(uniqueKeysWithValues: events.map { ($0.seq!, $0) })
            for event in before {
                #expect(bySeq[event.seq!]?.kind == event.kind && bySeq[event.seq!]?.workflowID == event.workflowID)
            }
            // The run cut short in apply-bios was checked (BIOS read back), not re-applied.
            #expect(
                events.contains { $0.step == "apply-bios" && $0.message == "found done after an interrupted attempt" })
            for run in runs {
                for step in try await store.steps(workflowID: run.id) where step.state == .succeeded {
                    #expect(
                        events.contains {
                            $0.workflowID == run.id && $0.step == step.name && $0.kind == .stepSucceeded
                        })
                }
            }
            let servers = try await store.servers()
            // `configured` when the lab's registry has every setting the server's type wants, else
            // `configured-with-exceptions` (#18: nothing left undone passes as configured).
            #expect(
                servers.count == nodes
                    && servers.allSatisfy { ["configured", "configured-with-exceptions"].contains($0.status) })
        }
    }

    @Test("per-BMC limit 1: two runs on one BMC never change it at once (the BMC counts overlaps)")
    func perBMCLimit() async throws {
        let password = "lab-\(UInt32.random(in: 0...UInt32.max))"
        let lab = try Self.lab(nodes: 1, post: 1, password: password)
        try await lab.withServer { port in
            let (state, _) = try await Self.prepare(port: port, nodes: 1, password: password)
            defer { try? FileManager.default.removeItem(at: state) }
            let url = Lab.baseURL(port: port, index: 0).absoluteString
            let batch = state.appendingPathComponent("twice.yaml").path
            try Data(
                "servers:\n  - {name: first, bmc: \"\(url)\", credential: lab}\n  - {name: second, bmc: \"\(url)\", credential: lab}\n"
                    .utf8
            ).write(to: URL(fileURLWithPath: batch))
            let run = try await CLI.run(
                [
                    "workflow", "run", "intelligent-commissioning", "--batch", batch, "--per-bmc", "1", "--first-poll",
                    "0.2",
                ],
                environment: ["HWA_STATE_DIR": state.path])
            #expect(run.exitCode == 0, "\(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.contains("2 succeeded"))
            let counters = lab.nodes[0].withState { $0.counters }
            #expect(counters.overlappingChanges == 0)
            #expect(counters.patches == 1 && counters.resets == 1)
        }
    }

    @Test("--dry-run discovers, classifies and plans but sends no PATCH and no reset; show and events tell the story")
    func dryRun() async throws {
        let password = "lab-\(UInt32.random(in: 0...UInt32.max))"
        let lab = try Self.lab(nodes: 1, post: 0.5, password: password)
        try await lab.withServer { port in
            let (state, _) = try await Self.prepare(port: port, nodes: 1, password: password)
            defer { try? FileManager.default.removeItem(at: state) }
            let environment = ["HWA_STATE_DIR": state.path]
            let run = try await CLI.run(
                [
                    "workflow", "run", "intelligent-commissioning", "--bmc",
                    Lab.baseURL(port: port, index: 0).absoluteString,
                    "--credential", "lab", "--dry-run",
                ], environment: environment)
            #expect(run.exitCode == 0, "\(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.contains("a1.c5.large") && run.stdout.contains("1 succeeded"))
            #expect(!run.stdout.contains(password) && !run.stderr.contains(password))
            let counters = lab.nodes[0].withState { $0.counters }
            #expect(counters.patches == 0 && counters.resets == 0)
            let list = try await CLI.run(["workflow", "list", "--json"], environment: environment)
            let id = try #require((try CLI.json(list.stdout) as? [[String: Any]])?.first?["workflow"] as? String)
            let show = try await CLI.run(["workflow", "show", id], environment: environment)
            let applyLine = show.stdout.split(separator: "\n").first { $0.hasPrefix("apply-bios ") }
            #expect(applyLine?.split(separator: " ").dropFirst().first == "skipped", "\(show.stdout)")
            #expect(show.stdout.contains("dry run: nothing changed"))
            let events = try await CLI.run(["workflow", "events", id, "--follow"], environment: environment)
            #expect(events.exitCode == 0)
            #expect(events.stdout.contains("workflow.created") && events.stdout.contains("workflow.succeeded"))
            let cancelled = try await CLI.run(["workflow", "cancel", id], environment: environment)
            #expect(cancelled.exitCode == 1)
            #expect(cancelled.stderr.contains("has already succeeded"), "\(cancelled.stderr)")
        }
    }

    @Test("a batch file with a bad row is refused with its line, and nothing is started")
    func badBatch() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-wf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: state) }
        let batch = state.appendingPathComponent("bad.csv").path
        try Data("bmc,credential\nhttps://10.0.0.5,lab\n,lab\n".utf8).write(to: URL(fileURLWithPath: batch))
        let run = try await CLI.run(
            ["workflow", "run", "intelligent-commissioning", "--batch", batch],
            environment: ["HWA_STATE_DIR": state.path])
        #expect(run.exitCode == 1)
        #expect(run.stderr.contains("bad.csv:3: a server needs `bmc`"))
        let list = try await CLI.run(["workflow", "list", "--json"], environment: ["HWA_STATE_DIR": state.path])
        #expect((try CLI.json(list.stdout) as? [Any])?.isEmpty == true)
    }
}

/// `hwautomation demo`, the README's main job.
@Suite("hwautomation demo")
struct DemoCommandTests {
    @Test("commissions every classifiable server, reports the others as waiting, keeps its store for later commands")
    func demo() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("demo.sqlite").path
        let run = try await CLI.run(
            ["demo", "--nodes", "6", "--unknown", "1", "--post-seconds", "0.5", "--db", db],
            environment: ["HWA_STATE_DIR": folder.path])
        #expect(run.exitCode == 0, "\(run.stdout)\n\(run.stderr)")
        // Six catalog types (the vendors taking turns: Dell, HPE, Supermicro; the sixth one the catalog cannot tell
        // apart from another) and one unknown.
        #expect(run.stdout.contains("unknown hardware: no catalog type fits"))
        #expect(run.stdout.contains("ambiguous between flex-6258R.c.large, flex-6258R.c.medium"))
        #expect(run.stdout.contains("5 succeeded, 2 waiting"), "\(run.stdout)")
        #expect(run.stdout.components(separatedBy: "Ready (3 tags)").count - 1 == 5, "commissioned and tagged in MAAS")
        for dell in ["p1.c1.large", "p1.s1.xlarge"] { #expect(run.stdout.contains(dell), "a Dell type: \(dell)") }
        // BIOS changes follow each type's desired state: not one number for every server.
        let changes = run.stdout.split(separator: "\n").filter { $0.contains("Ready (3 tags)") }.compactMap {
            $0.split(separator: " ").dropFirst(3).first.map(String.init)
        }
        #expect(changes.count == 5 && Set(changes).count > 1, "BIOS changes per server: \(changes)")
        #expect(run.stdout.contains("hwautomation workflow resume"))
        // The unknown server is a catalog proposal of one; its waiting reason names the proposal's nearest type.
        let proposals = try await CLI.run(
            ["catalog", "proposals", "--db", db, "--json"], environment: ["HWA_STATE_DIR": folder.path])
        let proposal = try #require((try CLI.json(proposals.stdout) as? [[String: Any]])?.first, "\(proposals)")
        #expect(proposal["count"] as? Int == 1)
        let nearest = try #require((proposal["nearest"] as? [[String: Any]])?.first?["device_type"] as? String)
        #expect(run.stdout.contains("no catalog type fits (closest: \(nearest))"), "\(run.stdout)")
        let servers = try await CLI.run(
            ["servers", "list", "--db", db, "--json"], environment: ["HWA_STATE_DIR": folder.path])
        let list = try #require(try CLI.json(servers.stdout) as? [[String: Any]])
        #expect(list.filter { $0["status"] as? String == "commissioned" }.count == 5)
        #expect(list.filter { $0["status"] as? String == "needs-decision" }.count == 2)
        let key = folder.appendingPathComponent("demo.key").path
        #expect((try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int) == 0o600)
    }

    @Test("with 10% of BMC answers faulty the demo still ends with a result for every server, and no crash")
    func faults() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("demo.sqlite").path
        let run = try await CLI.run(
            ["demo", "--nodes", "12", "--faults", "0.1", "--post-seconds", "0.5", "--db", db],
            environment: ["HWA_STATE_DIR": folder.path], timeout: .seconds(180))
        #expect(run.exitCode == 0 || run.exitCode == 1, "\(run.stderr)")
        #expect(!run.stderr.contains("Fatal error"))
        let rows = run.stdout.split(separator: "\n").filter { $0.hasPrefix("demo-node-") && $0.contains("  ") }
        #expect(rows.count == 14, "\(run.stdout)")
        let list = try await CLI.run(
            ["workflow", "list", "--db", db, "--json"], environment: ["HWA_STATE_DIR": folder.path])
        let runs = try #require(try CLI.json(list.stdout) as? [[String: Any]])
        #expect(runs.count == 14)
        for run in runs where run["state"] as? String == "failed" {
            #expect((run["reason"] as? String)?.isEmpty == false, "a failed server says why")
        }
        #expect(runs.allSatisfy { ["succeeded", "failed", "waiting"].contains($0["state"] as? String ?? "") })
    }
}

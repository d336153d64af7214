import Catalog
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

/// Several `hwautomation worker` processes over one PostgreSQL, one killed mid-batch.
@Suite("hwautomation worker", .serviceScope)
struct WorkerTests {
    @Test(
        "three workers, 200 lab servers, one worker SIGKILLed mid-batch: every run succeeds, no BMC changed twice",
        .enabled(if: Peer.postgres.enabled))
    func killOneOfThree() async throws {
        let logger = Logger(label: "worker-tests")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-workers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A new database; the store the workers share; the lab's login as a stored credential.
        let base = try Peer.value("HWA_TEST_POSTGRES_URL")
        let name = "workers_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        _ = try await ProcessRunner(logger: logger).check(
            Command(
                "psql", [base, "-XAtc", "CREATE DATABASE \(name)"],
                environment: ["PGPASSWORD": try Peer.secret("HWA_TEST_POSTGRES_PASSWORD_FILE")]))
        let url = base.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
        let passwordFile = try Peer.value("HWA_TEST_POSTGRES_PASSWORD_FILE")
        let keyFile = folder.appendingPathComponent("credentials.key").path
        let store = try await PostgresStore.open(
            try PostgresConfiguration(url: url, environment: ["HWA_DATABASE_PASSWORD_FILE": passwordFile]),
            box: try SecretBox.keyFile(keyFile), logger: logger)
        let catalog = try CatalogLoader.load(directory: nil).catalog
        var config = LabConfig()
        config.nodes = 200
        config.unknown = 0
        // Every unified type but the pair no classifier can tell apart (those would wait for an operator).
        config.types = catalog.sortedDeviceTypes().filter {
            $0.origin == .unified && !$0.name.hasPrefix("flex-6258R.c.")
        }.map(\.name)
        let servers = try config.servers(catalog: catalog)
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 1
        let lab = Lab(servers: servers, settings: settings, latency: .milliseconds(5) ... .milliseconds(20))
        try await store.putCredential(
            name: "lab", user: settings.user, secret: settings.password, kind: "bmc", scope: .loopbackLab)
        let services = CommissioningServices(
            catalog: catalog, store: store, runner: ProcessRunner(logger: logger), logger: logger)
        let creator = Engine(
            repository: store, definitions: CommissioningWorkflows.definitions(services), logger: logger)
        try await lab.withServer { port in
            for index in servers.indices {
                _ = try await creator.create(
                    definition: CommissioningWorkflows.intelligent, serverID: "node-\(index)",
                    input: ["bmc": Lab.baseURL(port: port, index: index).absoluteString, "credential": "lab"],
                    batch: "B")
            }
            let workers = try (0..<3).map { _ in
                try WorkerProcess.start(
                    [
                        "worker", "--db", url, "--key-file", keyFile, "--concurrency", "24", "--drain",
                        "--first-poll", "1", "--host-timeout", "300", "--lease-seconds", "30", "--poll-seconds", "0.5",
                    ],
                    environment: ["HWA_DATABASE_PASSWORD_FILE": passwordFile, "HWA_CONFIG_DIR": ""],
                    folder: folder)
            }
            // Mid-batch: a third of the runs finished and the victim holds runs in flight.
            var victim: WorkerProcess?
            var inFlight = 0
            for _ in 0..<1200 where victim == nil {
                let all = try await store.workflows(WorkflowFilter(batch: "B", limit: 1000))
                let done = all.filter { $0.state == .succeeded }.count
                let held = Dictionary(grouping: all.filter { $0.state == .running }, by: { $0.owner ?? "" })
                if done >= 60, let busy = workers.first(where: { (held[$0.owner]?.count ?? 0) > 0 }) {
                    victim = busy
                    inFlight = held[busy.owner]?.count ?? 0
                }
                if victim == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            let killed = try #require(victim, "no worker held a running workflow after a third of the batch")
            killed.kill()
            for worker in workers where worker !== killed {
                let status = try await worker.wait(timeout: .seconds(900))
                #expect(status == 0, "worker \(worker.owner): \(worker.standardError)")
            }
            let final = try await store.workflows(WorkflowFilter(batch: "B", limit: 1000))
            #expect(final.count == 200)
            #expect(
                final.allSatisfy { $0.state == .succeeded },
                "\(final.filter { $0.state != .succeeded }.map { "\($0.id) \($0.state) \($0.reason ?? "")" })")
            #expect(inFlight > 0)
            // No run was driven by two workers at once: every BMC saw one reset and at most one PATCH, never two
            // changes overlapping.
            for node in lab.nodes {
                let counters = node.withState { $0.counters }
                #expect(counters.resets <= 1, "BMC \(node.index) was reset \(counters.resets) times")
                #expect(counters.patches <= 1, "BMC \(node.index) was PATCHed \(counters.patches) times")
                #expect(counters.overlappingChanges == 0, "BMC \(node.index) saw overlapping changes")
            }
            // The batch summary is complete: every server recorded.
            let summary = try await CLI.run(
                ["workflow", "list", "--db", url, "--key-file", keyFile, "--batch", "B", "--limit", "500", "--json"],
                environment: ["HWA_DATABASE_PASSWORD_FILE": passwordFile])
            #expect(summary.exitCode == 0, "\(summary.stderr)")
            #expect(summary.stdout.components(separatedBy: "\"succeeded\"").count - 1 == 200)
        }
    }
}

/// A `hwautomation` process started in the background (the test kills one with SIGKILL).
final class WorkerProcess: @unchecked Sendable {
    let process = Process()
    let errorFile: URL

    /// Starts `hwautomation arguments`.
    static func start(_ arguments: [String], environment: [String: String], folder: URL) throws -> WorkerProcess {
        let worker = WorkerProcess(errorFile: folder.appendingPathComponent("worker-\(UUID().uuidString).err"))
        worker.process.executableURL = URL(fileURLWithPath: try CLI.executable)
        worker.process.arguments = arguments
        worker.process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        _ = FileManager.default.createFile(atPath: worker.errorFile.path, contents: nil)
        worker.process.standardError = try FileHandle(forWritingTo: worker.errorFile)
        worker.process.standardOutput = FileHandle.nullDevice
        try worker.process.run()
        return worker
    }

    private init(errorFile: URL) {
        self.errorFile = errorFile
    }

    /// Its owner name in the store (`host:pid`, as the engine writes it).
    var owner: String { "\(ProcessInfo.processInfo.hostName):\(process.processIdentifier)" }

    /// What it wrote on standard error.
    var standardError: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// SIGKILL, and reaped.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Its exit status, waiting at most `timeout` (then it is killed and the wait fails).
    func wait(timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill()
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        return process.terminationStatus
    }
}

/// `workflow run --enqueue` and a zoned worker, on the embedded store.
@Suite("hwautomation worker zones")
struct WorkerZoneTests {
    @Test("--enqueue only creates; a worker with --zone takes that zone's runs and leaves the others pending")
    func zones() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-zones-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0.2
        let lab = Lab(servers: (1...4).map { ServerModel(deviceType: type, index: $0) }, settings: settings)
        let db = folder.appendingPathComponent("hwa.sqlite").path
        let environment = ["LAB_PW": settings.password]
        let stored = try await CLI.run(
            [
                "credentials", "set", "lab", "--user", "admin", "--from-env", "LAB_PW", "--db", db, "--allow",
                "127.0.0.1",
                "--allow-plain-http",
            ],
            environment: environment)
        #expect(stored.exitCode == 0, "\(stored.stderr)")
        try await lab.withServer { port in
            var csv = "name,bmc,credential,zone\n"
            for index in 0..<4 {
                csv += "n\(index),\(Lab.baseURL(port: port, index: index)),lab,\(index < 2 ? "a" : "b")\n"
            }
            let batch = folder.appendingPathComponent("batch.csv")
            try csv.write(to: batch, atomically: true, encoding: .utf8)
            let enqueued = try await CLI.run(
                ["workflow", "run", "intelligent-commissioning", "--batch", batch.path, "--enqueue", "--db", db])
            #expect(enqueued.exitCode == 0, "\(enqueued.stderr)")
            #expect(enqueued.stdout.contains("4 run(s) created"))
            #expect(lab.nodes.allSatisfy { $0.withState { $0.counters.requests } == 0 })
            let worker = try await CLI.run(
                ["worker", "--zone", "a", "--drain", "--db", db, "--first-poll", "0.2", "--poll-seconds", "0.2"],
                timeout: .seconds(300))
            #expect(worker.exitCode == 0, "\(worker.stderr)")
            #expect(worker.stderr.contains("stopped after 2 run(s)"))
            let list = try await CLI.run(["workflow", "list", "--db", db, "--json"])
            let runs = try #require(try CLI.json(list.stdout) as? [[String: Any]])
            let states = Dictionary(
                runs.map { ($0["server"] as? String ?? "?", $0["state"] as? String ?? "?") }, uniquingKeysWith: { $1 })
            #expect(
                states == ["n0": "succeeded", "n1": "succeeded", "n2": "pending", "n3": "pending"], "\(list.stdout)")
            #expect(lab.nodes[2].withState { $0.counters.requests } == 0)
        }
    }
}

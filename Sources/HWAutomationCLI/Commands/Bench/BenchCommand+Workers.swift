import ArgumentParser
import Catalog
import Foundation
import Lab
import Logging
import Orchestration
import Remote
import Store
import WorkflowEngine

/// `hwautomation bench workers`.
struct BenchWorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers",
        abstract: "Throughput (steps/s) of 1, 2, 3 … `worker` processes over one PostgreSQL; prints JSON.",
        discussion: """
            For each worker count: a batch of N intelligent-commissioning runs over a lab served by this process is \
            created in the store, that many `hwautomation worker --drain` processes share it, and the wall time \
            from their start to the last one's exit gives steps per second. The database must be empty of \
            unfinished runs (workers take every runnable one). Build with -c release for figures that count.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Simulated servers per batch.") var nodes = 200
    @Option(help: "Worker counts to measure, comma-separated.") var workers = "1,2,3"
    @Option(help: "Runs at once per worker.") var concurrency = 32
    @Option(help: "BMC answer latency in milliseconds.") var latencyMs = 10
    @Option(help: "Host POST time in seconds after a reset.") var postSeconds = 1.0
    @Flag(help: "Print JSON (the default and only format; accepted for symmetry).") var json = false

    struct Measurement: Encodable {
        var workers: Int
        var runs: Int
        var succeeded: Int
        var steps: Int
        var wallSeconds: Double
        var stepsPerSecond: Double
        var runsPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case workers, runs, succeeded, steps
            case wallSeconds = "wall_seconds"
            case stepsPerSecond = "steps_per_second"
            case runsPerSecond = "runs_per_second"
        }
    }

    func run() async throws {
        let counts = workers.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--workers takes counts such as 1,2,3")
        }
        guard let db = store.db ?? ProcessInfo.processInfo.environment["HWA_DATABASE_URL"],
            PostgresConfiguration.isURL(db)
        else {
            throw ValidationError("bench workers needs a PostgreSQL store: --db postgres://... or HWA_DATABASE_URL")
        }
        var logger = Logger(label: "hwautomation.bench")
        logger.logLevel = .critical
        let catalog = try catalogOptions.load().catalog
        let shared = try await store.open()
        let keyFile = store.keyFile ?? store.defaultKeyFile
        var config = LabConfig()
        config.nodes = nodes
        config.unknown = 0
        config.types = catalog.sortedDeviceTypes().filter {
            $0.origin == .unified && !$0.name.hasPrefix("flex-6258R.c.")
        }.map(\.name)
        let servers = try config.servers(catalog: catalog)
        let services = CommissioningServices(
            catalog: catalog, store: shared, runner: ProcessRunner(logger: logger), logger: logger)
        let creator = Engine(
            repository: shared, definitions: CommissioningWorkflows.definitions(services), logger: logger)
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let runner = ProcessRunner(logger: logger)
        // The workers are this program: of this process's environment they get the store's and catalog's settings
        // (ProcessRunner hands a child nothing else).
        let workerEnvironment = ProcessInfo.processInfo.environment.filter {
            ["PGPASSWORD", "PGUSER", "HWA_DATABASE_PASSWORD_FILE", "HWA_CONFIG_DIR", "HWA_STATE_DIR"].contains($0.key)
        }
        var results: [Measurement] = []
        for count in counts {
            var settings = config.bmcSettings
            settings.postSeconds = postSeconds
            settings.password = UUID().uuidString
            let lab = Lab(
                servers: servers, settings: settings,
                latency: .milliseconds(latencyMs) ... .milliseconds(latencyMs), logger: logger)
            let credential = "bench-\(UUID().uuidString.prefix(8))"
            try await shared.putCredential(
                name: credential, user: settings.user, secret: settings.password, kind: "bmc", scope: .loopbackLab)
            let batch = "bench-\(count)-\(UUID().uuidString.prefix(8))"
            let measurement = try await lab.withServer { port in
                for index in servers.indices {
                    _ = try await creator.create(
                        definition: CommissioningWorkflows.intelligent, serverID: "\(batch)-\(index)",
                        input: ["bmc": Lab.baseURL(port: port, index: index).absoluteString, "credential": credential],
                        batch: batch)
                }
                let arguments = [
                    "worker", "--db", db, "--key-file", keyFile, "--concurrency", "\(concurrency)", "--drain",
                    "--first-poll", "\(postSeconds)", "--poll-seconds", "0.2",
                ]
                let started = ContinuousClock.now
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<count {
                        group.addTask {
                            _ = try await runner.check(
                                Command(
                                    executable, arguments, environment: workerEnvironment,
                                    secretEnvironment: ["PGPASSWORD"], timeout: .seconds(3600)))
                        }
                    }
                    try await group.waitForAll()
                }
                let wall = ContinuousClock.now - started
                let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
                let runs = try await shared.workflows(WorkflowFilter(batch: batch, limit: Int.max))
                var steps = 0
                for run in runs {
                    steps += try await shared.steps(workflowID: run.id).count { $0.state == .succeeded }
                }
                return Measurement(
                    workers: count, runs: runs.count, succeeded: runs.count { $0.state == .succeeded }, steps: steps,
                    wallSeconds: seconds, stepsPerSecond: Double(steps) / seconds,
                    runsPerSecond: Double(runs.count) / seconds)
            }
            results.append(measurement)
        }
        print(try Terminal.json(["nodes": AnyEncodable(nodes), "measurements": AnyEncodable(results)]))
    }
}

/// Any encodable value, for a JSON object of mixed values.
private struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

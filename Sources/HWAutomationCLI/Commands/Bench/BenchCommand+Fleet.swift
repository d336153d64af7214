import ArgumentParser
import Catalog
import Foundation
import Lab
import Logging
import Orchestration
import Remote
import Store
import WorkflowEngine

/// `hwautomation bench fleet`.
struct BenchFleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Commission a lab of N simulated BMCs through the workflow engine; readable figures, or JSON.",
        discussion: """
            The whole pipeline (intelligent-commissioning: discover, classify, plan, apply BIOS with one reset, \
            verify, record) over a lab of N BMCs, with the store in memory (or SQLite with --db). The lab runs as \
            a separate process (this program's `lab serve`, every BMC under its prefix, its login in a 0600 file \
            in a private temporary folder, never on the command line), so the figures of this process are ours, \
            not the simulator's; --in-process serves it inside this process instead, for comparison. The lab is \
            stopped however the benchmark ends. Measures one node alone, then the other N-1 at once, and reports: \
            wall times and their ratio (target ≤ 1.2); p50/p99 of one node's wall time (first step started to last \
            step finished) in the fleet; our CPU seconds (getrusage of this process) over both phases and per node \
            (target ≤ 2 ms); the lab's CPU seconds, separately (from /proc/PID/stat while it runs, and its whole \
            life once reaped); Redfish requests per node by method (GET, PATCH, POST, DELETE, as the lab's \
            listener received them, read from its /lab/counters endpoint) and resets per node, over the fleet \
            phase's nodes; our peak RSS (ru_maxrss of this process only; target ≤ 150 MB); and runs that did not \
            succeed (the lab makes a few servers of the catalog's indistinguishable types: they wait for a \
            decision). Build with -c release for figures that count.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Simulated servers.") var nodes = 1000
    @Option(help: "BMC answer latency in milliseconds.") var latencyMs = 20
    @Option(help: "Host POST time in seconds after a reset.") var postSeconds = 2.0
    @Option(help: "Servers commissioned at once (default: all).") var concurrency: Int?
    @Option(help: ArgumentHelp("SQLite file for the store (default: in memory).", valueName: "path")) var db: String?
    @Flag(help: "Serve the lab inside this process (the figures then mix our cost with the simulator's).")
    var inProcess = false
    @Flag(help: "Print the figures as JSON.") var json = false

    func validate() throws {
        guard nodes >= 2 else { throw ValidationError("--nodes must be at least 2 (one alone, then the rest)") }
        guard latencyMs >= 0 else { throw ValidationError("--latency-ms must be 0 or more") }
        guard postSeconds >= 0 else { throw ValidationError("--post-seconds must be 0 or more") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() async throws {
        var logger = Logger(label: "hwautomation.bench")
        logger.logLevel = .critical
        let fleet = FleetRun(
            catalog: try catalogOptions.load().catalog, configDirectory: catalogOptions.resolvedDirectory,
            nodes: nodes, latencyMs: latencyMs, postSeconds: postSeconds, concurrency: concurrency, db: db,
            logger: logger)
        let measured = try await inProcess ? fleet.inProcessLab() : fleet.outOfProcessLab()
        let report = FleetReport(fleet, inProcess: inProcess, measured)
        if json {
            print(try Terminal.json(report))
        } else {
            print(report.readable)
        }
    }
}

/// One `bench fleet` run: its settings, and the two ways of serving its lab.
struct FleetRun: Sendable {
    let catalog: Catalog
    /// The catalog directory the lab process is given (nil: the built-in catalog).
    let configDirectory: String?
    let nodes: Int
    let latencyMs: Int
    let postSeconds: Double
    let concurrency: Int?
    let db: String?
    let logger: Logger

    /// Commissions node 0 alone, then the others at once, against a lab listening on `port` with `user`/`password`;
    /// `counters` reads the lab's figures afterwards, `labCPU` the lab's CPU seconds so far (nil in process).
    func commission(
        port: Int, user: String, password: String, counters: @Sendable () async throws -> LabCountersReport,
        labCPU: @Sendable () -> Double?
    ) async throws -> FleetMeasurement {
        let store: any Store
        if let db {
            store = try SQLiteStore(path: db, box: .ephemeral())
        } else {
            store = InMemoryStore(box: .ephemeral())
        }
        try await store.putCredential(name: "lab", user: user, secret: password, kind: "bmc", scope: .loopbackLab)
        let services = CommissioningServices(
            catalog: catalog, store: store, runner: ProcessRunner(logger: logger), hostTimeout: .seconds(600),
            firstPoll: .milliseconds(Int(postSeconds * 1000)), logger: logger)
        let engine = Engine(
            repository: store, definitions: CommissioningWorkflows.definitions(services),
            limits: Engine.Limits(global: max(1, concurrency ?? nodes), perBMC: 1, perVendor: nodes), logger: logger)
        func create(_ index: Int) async throws -> String {
            try await engine.create(
                definition: CommissioningWorkflows.intelligent, serverID: "node-\(index)",
                input: ["bmc": Lab.baseURL(port: port, index: index).absoluteString, "credential": "lab"]
            ).id
        }
        let clock = ContinuousClock()
        let first = try await create(0)
        var ids: [String] = []
        for index in 1..<nodes { ids.append(try await create(index)) }
        let ourBefore = BenchFigures.cpuSeconds()
        let labBefore = labCPU()
        var single: [WorkflowRecord] = []
        let alone = await clock.measure { single = await engine.run([first]) }
        var results: [WorkflowRecord] = []
        let together = await clock.measure { results = await engine.run(ids) }
        let ourCPU = BenchFigures.cpuSeconds() - ourBefore
        let labCPU = labBefore.flatMap { before in labCPU().map { $0 - before } }
        var walls: [Double] = []
        for record in results {
            let steps = try await store.steps(workflowID: record.id)
            guard let started = steps.compactMap(\.started).min(), let finished = steps.compactMap(\.finished).max()
            else { continue }
            walls.append(finished.timeIntervalSince(started))
        }
        return FleetMeasurement(
            oneNode: BenchFigures.seconds(alone), fleet: BenchFigures.seconds(together), results: single + results,
            fleetWalls: walls, ourCPU: ourCPU, labCPU: labCPU, counters: try await counters())
    }

    /// The lab served by this process.
    func inProcessLab() async throws -> FleetMeasurement {
        var config = LabConfig()
        config.nodes = nodes
        var settings = config.bmcSettings
        settings.postSeconds = postSeconds
        settings.password = UUID().uuidString
        let lab = Lab(
            servers: try config.servers(catalog: catalog), settings: settings,
            latency: .milliseconds(latencyMs) ... .milliseconds(latencyMs), logger: logger)
        return try await lab.withServer { [settings] port in
            try await commission(
                port: port, user: settings.user, password: settings.password,
                counters: { lab.countersReport(pathsOf: 0) },
                labCPU: { nil })
        }
    }
}

/// What one `bench fleet` run measured.
struct FleetMeasurement: Sendable {
    /// Node 0 alone, seconds.
    var oneNode: Double
    /// The other nodes at once, seconds.
    var fleet: Double
    /// Every run, node 0's first.
    var results: [WorkflowRecord]
    /// Each fleet node's wall time (first step started to last step finished), seconds.
    var fleetWalls: [Double]
    /// This process's CPU seconds over both phases.
    var ourCPU: Double
    /// The lab process's CPU seconds over both phases (nil in process).
    var labCPU: Double?
    /// The lab's counters after both phases.
    var counters: LabCountersReport
    /// The lab process's CPU seconds over its whole life, once reaped (nil in process).
    var labCPUTotal: Double?
    /// How the lab process ended (nil in process).
    var labExit: String?
    /// The lab process's id (nil in process).
    var labPID: Int32?
}

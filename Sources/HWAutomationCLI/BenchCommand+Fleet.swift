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
        abstract:
            "Commission a lab of N simulated BMCs through the workflow engine in one process; prints JSON.",
        discussion: """
            The whole pipeline (intelligent-commissioning: discover, classify, plan, apply BIOS with one reset, \
            verify, record) over a lab served in the same process, with the store in memory (or SQLite with \
            --db). Measures one node alone, then the other N-1 at once: wall times and their ratio (target ≤ 1.2), \
            Redfish requests and resets per node (the lab's counters), peak RSS (target ≤ 200 MB), and runs that \
            did not succeed (the lab makes a few servers of the catalog's indistinguishable types: they wait for a \
            decision). Build with -c release for figures that count.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Simulated servers.") var nodes = 1000
    @Option(help: "BMC answer latency in milliseconds.") var latencyMs = 20
    @Option(help: "Host POST time in seconds after a reset.") var postSeconds = 2.0
    @Option(help: "Servers commissioned at once (default: all).") var concurrency: Int?
    @Option(help: ArgumentHelp("SQLite file for the store (default: in memory).", valueName: "path")) var db: String?
    @Flag(help: "Print JSON (the default and only format; accepted for symmetry).") var json = false

    func validate() throws {
        guard nodes >= 2 else { throw ValidationError("--nodes must be at least 2 (one alone, then the rest)") }
    }

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        var config = LabConfig()
        config.nodes = nodes
        let servers = try config.servers(catalog: catalog)
        var settings = config.bmcSettings
        settings.postSeconds = postSeconds
        settings.password = UUID().uuidString
        var logger = Logger(label: "hwautomation.bench")
        logger.logLevel = .critical
        let lab = Lab(
            servers: servers, settings: settings, latency: .milliseconds(latencyMs) ... .milliseconds(latencyMs),
            logger: logger)
        let store: any Store
        if let db {
            store = try SQLiteStore(path: db, box: .ephemeral())
        } else {
            store = InMemoryStore(box: .ephemeral())
        }
        try await store.putCredential(
            name: "lab", user: settings.user, secret: settings.password, kind: "bmc", scope: .loopbackLab)
        let services = CommissioningServices(
            catalog: catalog, store: store, runner: ProcessRunner(logger: logger), hostTimeout: .seconds(600),
            firstPoll: .milliseconds(Int(postSeconds * 1000)), logger: logger)
        let engine = Engine(
            repository: store, definitions: CommissioningWorkflows.definitions(services),
            limits: Engine.Limits(global: max(1, concurrency ?? nodes), perBMC: 1, perVendor: nodes), logger: logger)
        let measured = try await lab.withServer { port in
            func create(_ index: Int) async throws -> String {
                try await engine.create(
                    definition: CommissioningWorkflows.intelligent, serverID: "node-\(index)",
                    input: ["bmc": Lab.baseURL(port: port, index: index).absoluteString, "credential": "lab"]
                ).id
            }
            let clock = ContinuousClock()
            let first = try await create(0)
            var single: [WorkflowRecord] = []
            let alone = await clock.measure { single = await engine.run([first]) }
            var ids: [String] = []
            for index in 1..<nodes { ids.append(try await create(index)) }
            var results: [WorkflowRecord] = []
            let together = await clock.measure { results = await engine.run(ids) }
            return (alone, together, single + results)
        }
        let (alone, together, results) = measured
        let rest = lab.nodes.dropFirst()
        let requests = rest.reduce(0) { $0 + $1.withState { $0.counters.requests } }
        let resets = rest.reduce(0) { $0 + $1.withState { $0.counters.resets } }
        let count = Double(rest.count)
        let unfinished = results.filter { $0.state != .succeeded }
        let reasons = Dictionary(grouping: unfinished) {
            "\($0.state.rawValue): " + String(($0.reason ?? "").prefix(60))
        }
        .mapValues(\.count)
        let oneNode = BenchFigures.seconds(alone)
        let fleet = BenchFigures.seconds(together)
        let output: [String: JSONNumberOrText] = [
            "benchmark": .text("fleet"), "build": .text(BenchFigures.build), "nodes": .number(Double(nodes)),
            "store": .text(db == nil ? "memory" : "sqlite"), "latency_ms": .number(Double(latencyMs)),
            "post_seconds": .number(postSeconds), "one_node_seconds": BenchFigures.round(oneNode),
            "fleet_seconds": BenchFigures.round(fleet), "ratio": BenchFigures.round(fleet / max(oneNode, 1e-6), 2),
            "requests_per_node": BenchFigures.round(Double(requests) / count, 1),
            "resets_per_node": BenchFigures.round(Double(resets) / count, 2),
            "peak_rss_mb": .number(BenchFigures.peakRSSMegabytes()),
            "succeeded": .number(Double(results.count - unfinished.count)),
            "not_succeeded": .number(Double(unfinished.count)),
            "not_succeeded_reasons": .text(
                reasons.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: "; ")),
            "target_ratio": .number(1.2), "target_rss_mb": .number(200),
        ]
        print(try Terminal.json(output))
    }
}

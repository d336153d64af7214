import ArgumentParser
import Catalog
import Foundation
import Inventory
import Lab
import Logging
import Orchestration
import Redfish

/// `hwautomation bench`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure HWAutomation's own speed; prints JSON.",
        subcommands: [BenchClassifyCommand.self, BenchFleetCommand.self])
}

/// `hwautomation bench classify`.
struct BenchClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify N inventories (one per catalog type, round robin) against the whole catalog.",
        discussion: "Build with `swift build -c release` for the figure that counts (target: 100,000 in under 1 s).")

    @Option(help: "Inventories to classify.")
    var count = 100_000

    @Flag(help: "Print JSON (the default and only format; accepted for symmetry).")
    var json = false

    @OptionGroup var catalogOptions: CatalogOptions

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        let classifier = Classifier(catalog: catalog)
        var inventories: [Inventory] = []
        for (index, type) in catalog.sortedDeviceTypes().enumerated() {
            inventories.append(await ServerModel(deviceType: type, index: index).discoveryBundle().inventory())
        }
        let clock = ContinuousClock()
        var matched = 0
        let elapsed = clock.measure {
            for index in 0..<count where classifier.classify(inventories[index % inventories.count]).outcome == .matched
            {
                matched += 1
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        let report: [String: JSONNumberOrText] = [
            "benchmark": .text("classify"), "build": .text(build), "inventories": .number(Double(count)),
            "catalog_types": .number(Double(catalog.deviceTypes.count)),
            "seconds": .number((seconds * 1000).rounded() / 1000),
            "per_second": .number((Double(count) / max(seconds, 1e-9)).rounded()), "matched": .number(Double(matched)),
            "target_seconds": .number(1), "target_met": .text(seconds < 1 ? "yes" : "no"),
        ]
        print(try Terminal.json(report))
    }
}

/// A JSON scalar for benchmark reports.
enum JSONNumberOrText: Encodable {
    case number(Double)
    case text(String)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value):
            if value == value.rounded() { try container.encode(Int(value)) } else { try container.encode(value) }
        case .text(let value): try container.encode(value)
        }
    }
}

/// `hwautomation bench fleet`.
struct BenchFleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract:
            "Commission a lab of N simulated BMCs in one process (discover, classify, BIOS apply, verify); prints JSON.",
        discussion: """
            Measures one node alone, then all N at once: wall times and their ratio (target ≤ 1.2), Redfish requests \
            and resets per node, peak RSS (target ≤ 200 MB) and failures. Build with -c release for figures that count.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Simulated servers.") var nodes = 1000
    @Option(help: "BMC answer latency in milliseconds.") var latencyMs = 20
    @Option(help: "Host POST time in seconds after a reset.") var postSeconds = 2.0
    @Option(help: "Servers commissioned at once (default: all).") var concurrency: Int?
    @Flag(help: "Print JSON (the default and only format; accepted for symmetry).") var json = false

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        var config = LabConfig()
        config.nodes = nodes
        let servers = try config.servers(catalog: catalog)
        var settings = config.bmcSettings
        settings.postSeconds = postSeconds
        settings.password = UUID().uuidString
        let password = settings.password
        var logger = Logger(label: "hwautomation.bench")
        logger.logLevel = .critical
        let quiet = logger
        let lab = Lab(
            servers: servers, settings: settings, latency: .milliseconds(latencyMs) ... .milliseconds(latencyMs),
            logger: quiet)
        let classifier = Classifier(catalog: catalog)
        let limit = max(1, concurrency ?? nodes)
        let post = postSeconds
        let report = try await lab.withServer { port in
            func commission(_ index: Int) async -> CommissioningResult {
                await Commissioning.run(
                    endpoint: RedfishEndpoint(
                        baseURL: Lab.baseURL(port: port, index: index), username: "admin", password: password,
                        timeout: .seconds(60)),
                    catalog: catalog, classifier: classifier, backups: MemoryBackupSink(), firstPoll: .seconds(post),
                    logger: quiet)
            }
            let single = await commission(0)
            let resetsBefore = lab.nodes.reduce(0) { $0 + $1.withState { $0.counters.resets } }
            let clock = ContinuousClock()
            var results: [CommissioningResult] = []
            let elapsed = await clock.measure {
                results = await withTaskGroup(of: CommissioningResult.self) { group in
                    var collected: [CommissioningResult] = []
                    var next = 1
                    for _ in 0..<min(limit, nodes - 1) {
                        let index = next
                        group.addTask { await commission(index) }
                        next += 1
                    }
                    while let result = await group.next() {
                        collected.append(result)
                        if next < nodes {
                            let index = next
                            group.addTask { await commission(index) }
                            next += 1
                        }
                    }
                    return collected
                }
            }
            let resets = lab.nodes.reduce(0) { $0 + $1.withState { $0.counters.resets } } - resetsBefore
            return FleetReport(single: single, results: results, elapsed: elapsed, resets: resets)
        }
        let fleetSeconds =
            Double(report.elapsed.components.seconds) + Double(report.elapsed.components.attoseconds) / 1e18
        let failures = report.results.filter { $0.error != nil }
        let reasons = Dictionary(grouping: failures) { String(($0.error ?? "").prefix(40)) }.mapValues(\.count)
        let count = Double(max(1, report.results.count))
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        let output: [String: JSONNumberOrText] = [
            "benchmark": .text("fleet"), "build": .text(build), "nodes": .number(Double(nodes)),
            "latency_ms": .number(Double(latencyMs)), "post_seconds": .number(postSeconds),
            "one_node_seconds": .number((report.single.seconds * 1000).rounded() / 1000),
            "fleet_seconds": .number((fleetSeconds * 1000).rounded() / 1000),
            "ratio": .number((fleetSeconds / max(report.single.seconds, 1e-6) * 100).rounded() / 100),
            "requests_per_node": .number(
                (Double(report.results.reduce(0) { $0 + $1.requests }) / count * 10).rounded() / 10),
            "resets_per_node": .number((Double(report.resets) / count * 100).rounded() / 100),
            "peak_rss_mb": .number(Self.peakRSSMegabytes()), "failures": .number(Double(failures.count)),
            "failure_reasons": .text(
                reasons.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: "; ")),
            "target_ratio": .number(1.2), "target_rss_mb": .number(200),
        ]
        print(try Terminal.json(output))
    }

    struct FleetReport: Sendable {
        var single: CommissioningResult
        var results: [CommissioningResult]
        var elapsed: Duration
        var resets: Int
    }

    /// VmHWM from /proc/self/status, in MB (0 where there is no /proc).
    static func peakRSSMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return 0 }
        return (kilobytes / 1024 * 10).rounded() / 10
    }
}

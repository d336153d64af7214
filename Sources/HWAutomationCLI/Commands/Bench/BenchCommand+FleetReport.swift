import Foundation
import Lab
import WorkflowEngine

/// `bench fleet`'s figures, as JSON (`--json`) or text.
struct FleetReport: Encodable {
    var benchmark = "fleet"
    var build = BenchFigures.build
    var lab: String
    var nodes: Int
    var store: String
    var latencyMs: Int
    var postSeconds: Double
    var oneNodeSeconds: Double
    var fleetSeconds: Double
    var ratio: Double
    var nodeWallP50Seconds: Double
    var nodeWallP99Seconds: Double
    var ourCPUSeconds: Double
    var ourCPUMsPerNode: Double
    var ourCPUSecondsTotal: Double
    var labCPUSeconds: Double?
    var labCPUMsPerNode: Double?
    var labCPUSecondsTotal: Double?
    var labPID: Int32?
    var labExit: String?
    var oneNodeRequests: Int
    /// Node 0's requests (the run alone) by method and path, for seeing where requests go.
    var oneNodeRequestsByPath: [String: Int]
    var requestsPerNode: Double
    var requestsPerNodeByMethod: [String: Double]
    var resetsPerNode: Double
    var peakRSSMegabytes: Double
    var succeeded: Int
    var notSucceeded: Int
    var notSucceededReasons: String
    var targetRatio = 1.2
    var targetOurCPUMsPerNode = 2.0
    var targetRSSMegabytes = 150.0

    enum CodingKeys: String, CodingKey {
        case benchmark, build, lab, nodes, store, ratio, succeeded
        case latencyMs = "latency_ms"
        case postSeconds = "post_seconds"
        case oneNodeSeconds = "one_node_seconds"
        case fleetSeconds = "fleet_seconds"
        case nodeWallP50Seconds = "node_wall_p50_seconds"
        case nodeWallP99Seconds = "node_wall_p99_seconds"
        case ourCPUSeconds = "our_cpu_seconds"
        case ourCPUMsPerNode = "our_cpu_ms_per_node"
        case ourCPUSecondsTotal = "our_cpu_seconds_total"
        case labCPUSeconds = "lab_cpu_seconds"
        case labCPUMsPerNode = "lab_cpu_ms_per_node"
        case labCPUSecondsTotal = "lab_cpu_seconds_total"
        case labPID = "lab_pid"
        case labExit = "lab_exit"
        case oneNodeRequests = "one_node_requests"
        case oneNodeRequestsByPath = "one_node_requests_by_path"
        case requestsPerNode = "requests_per_node"
        case requestsPerNodeByMethod = "requests_per_node_by_method"
        case resetsPerNode = "resets_per_node"
        case peakRSSMegabytes = "peak_rss_mb"
        case notSucceeded = "not_succeeded"
        case notSucceededReasons = "not_succeeded_reasons"
        case targetRatio = "target_ratio"
        case targetOurCPUMsPerNode = "target_our_cpu_ms_per_node"
        case targetRSSMegabytes = "target_rss_mb"
    }

    /// The report of `measured`, a run of `command`. Per-node request and reset figures are over the fleet phase's
    /// nodes (1…N-1); CPU per node over all N (both phases).
    init(_ command: FleetRun, inProcess: Bool, _ measured: FleetMeasurement) {
        lab = inProcess ? "in-process" : "separate process"
        nodes = command.nodes
        store = command.db == nil ? "memory" : "sqlite"
        latencyMs = command.latencyMs
        postSeconds = command.postSeconds
        oneNodeSeconds = Self.round(measured.oneNode)
        fleetSeconds = Self.round(measured.fleet)
        ratio = Self.round(measured.fleet / max(measured.oneNode, 1e-6), 2)
        let walls = measured.fleetWalls.sorted()
        nodeWallP50Seconds = Self.round(Self.percentile(walls, 0.50))
        nodeWallP99Seconds = Self.round(Self.percentile(walls, 0.99))
        let all = Double(command.nodes)
        ourCPUSeconds = Self.round(measured.ourCPU)
        ourCPUMsPerNode = Self.round(measured.ourCPU / all * 1000, 2)
        ourCPUSecondsTotal = Self.round(BenchFigures.cpuSeconds())
        labCPUSeconds = measured.labCPU.map { Self.round($0) }
        labCPUMsPerNode = measured.labCPU.map { Self.round($0 / all * 1000, 2) }
        labCPUSecondsTotal = measured.labCPUTotal.map { Self.round($0) }
        labPID = measured.labPID
        labExit = measured.labExit
        let first = measured.counters.nodes.first
        oneNodeRequests = first.map { $0.requestsByMethod.values.reduce(0, +) } ?? 0
        oneNodeRequestsByPath = first?.requestsByPath ?? [:]
        let rest = measured.counters.nodes.dropFirst()
        let count = Double(max(rest.count, 1))
        var byMethod: [String: Int] = ["GET": 0, "PATCH": 0, "POST": 0, "DELETE": 0]
        for node in rest { byMethod.merge(node.requestsByMethod, uniquingKeysWith: +) }
        requestsPerNodeByMethod = byMethod.mapValues { Self.round(Double($0) / count, 2) }
        requestsPerNode = Self.round(Double(byMethod.values.reduce(0, +)) / count, 2)
        resetsPerNode = Self.round(Double(rest.reduce(0) { $0 + $1.counters.resets }) / count, 2)
        peakRSSMegabytes = BenchFigures.maxRSSMegabytes()
        let unfinished = measured.results.filter { $0.state != .succeeded }
        succeeded = measured.results.count - unfinished.count
        notSucceeded = unfinished.count
        let reasons = Dictionary(grouping: unfinished) {
            "\($0.state.rawValue): " + String(($0.reason ?? "").prefix(60))
        }
        .mapValues(\.count)
        notSucceededReasons = reasons.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }
            .joined(separator: "; ")
    }

    /// The figures for a person.
    var readable: String {
        func methods() -> String {
            requestsPerNodeByMethod.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\($0.key) \(Self.text($0.value))" }.joined(separator: ", ")
        }
        var lines = [
            "bench fleet: \(nodes) nodes, \(latencyMs) ms BMC latency, \(Self.text(postSeconds)) s POST, lab \(lab), "
                + "store in \(store), \(build) build",
            "  one node alone      \(Self.text(oneNodeSeconds)) s (\(oneNodeRequests) requests)",
            "  fleet (N-1 at once) \(Self.text(fleetSeconds)) s, ratio \(Self.text(ratio)) (target ≤ \(targetRatio))",
            "  wall per node       p50 \(Self.text(nodeWallP50Seconds)) s, p99 \(Self.text(nodeWallP99Seconds)) s",
            "  our CPU             \(Self.text(ourCPUSeconds)) s, \(Self.text(ourCPUMsPerNode)) ms per node "
                + "(target ≤ \(Self.text(targetOurCPUMsPerNode)) ms); \(Self.text(ourCPUSecondsTotal)) s in all",
        ]
        if let labCPUSeconds, let labCPUMsPerNode {
            lines.append(
                "  lab CPU             \(Self.text(labCPUSeconds)) s, \(Self.text(labCPUMsPerNode)) ms per node"
                    + (labCPUSecondsTotal.map { "; \(Self.text($0)) s in all" } ?? ""))
        }
        lines += [
            "  requests per node   \(Self.text(requestsPerNode)) (\(methods()))",
            "  resets per node     \(Self.text(resetsPerNode))",
            "  our peak RSS        \(Self.text(peakRSSMegabytes)) MB (target ≤ \(Self.text(targetRSSMegabytes)) MB)",
            "  succeeded           \(succeeded) of \(succeeded + notSucceeded)"
                + (notSucceeded == 0 ? "" : "; not succeeded: \(notSucceededReasons)"),
        ]
        if let labExit { lines.append("  lab process         \(labPID.map { "pid \($0), " } ?? "")\(labExit)") }
        return lines.joined(separator: "\n")
    }

    /// The `fraction` percentile of sorted `values` (nearest rank); 0 when there are none.
    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let rank = Int((fraction * Double(values.count)).rounded(.up))
        return values[min(max(rank, 1), values.count) - 1]
    }

    static func round(_ value: Double, _ places: Int = 3) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }

    /// `2`, `2.5`, `0.125`: no trailing zeros.
    static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

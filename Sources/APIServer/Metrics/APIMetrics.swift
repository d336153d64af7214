import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Orchestration
import Prometheus
import Store
import Synchronization
import WorkflowEngine

/// The server's Prometheus collectors, on a registry of its own (no process-wide metrics bootstrap).
public struct APIMetrics: Sendable {
    /// The registry `/metrics` emits.
    public let registry = PrometheusCollectorRegistry()
    /// Device types the drift gauge has named (set to 0 once no server of theirs is checked).
    let driftTypes = SeenNames()
    /// Collectors over a registry of their own.
    public init() {}

    static let stepBuckets: [Duration] = [
        .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(60), .seconds(300),
        .seconds(900), .seconds(1800),
    ]

    /// HTTP requests answered, by method and status class.
    func countRequest(method: String, status: Int) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "hwa", metricName: "http_requests", unitName: "total",
                helpText: "HTTP requests answered by the API server"),
            labels: [("method", method), ("status", "\(status / 100)xx")]
        ).increment()
    }

    /// One step attempt ended after `duration`.
    func observeStep(_ step: String, outcome: String, duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "hwa", metricName: "step_duration", unitName: "seconds",
                helpText: "Workflow step attempts, by step and outcome"),
            labels: [("step", step), ("outcome", outcome)], buckets: Self.stepBuckets
        ).record(duration)
    }

    /// Workflows known to the store, by state (set at every scrape).
    func setWorkflows(_ counts: [RunState: Int]) {
        for state in RunState.allCases {
            registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    namespace: "hwa", metricName: "workflows", unitName: "",
                    helpText: "Workflows in the store, by state"),
                labels: [("state", state.rawValue)]
            ).set(Double(counts[state] ?? 0))
        }
    }

    /// Steps that change a BMC running right now (one per BMC at most: the per-BMC permits in use).
    func setBMCsInUse(_ count: Int) {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "hwa", metricName: "bmc_changes_in_progress", unitName: "",
                helpText: "Mutating steps running against BMCs now")
        )
        .set(Double(count))
    }

    /// Servers by device type and drift kind at their newest check (set at every scrape): `bios` and `firmware`
    /// (what differs), `drifted` (either), `in_sync`, `unreachable`, `untyped`. A type no longer checked reads 0.
    func setDrift(_ report: DriftReport) {
        let lines = Dictionary(report.types.map { ($0.deviceType, $0) }) { first, _ in first }
        let types = driftTypes.names.withLock { seen in
            seen.formUnion(lines.keys)
            return seen
        }
        for type in types {
            let line = lines[type]
            let kinds: [(String, Int)] = [
                ("bios", line?.bios ?? 0), ("firmware", line?.firmware ?? 0), ("drifted", line?.drifted ?? 0),
                ("in_sync", line?.inSync ?? 0), ("unreachable", line?.unreachable ?? 0),
                ("untyped", line?.untyped ?? 0),
            ]
            for (kind, count) in kinds {
                registry.makeGauge(
                    descriptor: MetricNameDescriptor(
                        namespace: "hwa", metricName: "drift_servers", unitName: "",
                        helpText: "Servers by device type and drift kind at their newest drift check"),
                    labels: [("device_type", type), ("kind", kind)]
                ).set(Double(count))
            }
        }
    }

    /// What one workflow's Redfish client sent (reported when the workflow stops), by the BMC's vendor.
    public func recordRedfish(_ usage: RedfishUsage) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "hwa", metricName: "redfish_requests", unitName: "total",
                helpText: "Redfish requests sent to BMCs (retries included), by vendor; counted when a workflow stops"),
            labels: [("vendor", usage.vendor)]
        ).increment(by: Int64(usage.requests))
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "hwa", metricName: "redfish_errors", unitName: "total",
                helpText: "Redfish requests that ended in an error status, a timeout or a transport failure, by vendor"),
            labels: [("vendor", usage.vendor)]
        ).increment(by: Int64(usage.errors))
    }

    /// Counts every response.
    func middleware() -> MetricsCountingMiddleware { MetricsCountingMiddleware(metrics: self) }
}

/// Names seen so far, shared by the copies of the value that holds it.
final class SeenNames: Sendable {
    let names = Mutex<Set<String>>([])
}

import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Orchestration
import Prometheus
import Store
import WorkflowEngine

/// The server's Prometheus collectors, on a registry of its own (no process-wide metrics bootstrap).
public struct APIMetrics: Sendable {
    /// The registry `/metrics` emits.
    public let registry = PrometheusCollectorRegistry()
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

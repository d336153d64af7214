import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Store
import WorkflowEngine

/// Feeds step durations from the engine's live events into the metrics.
struct MetricsFeed: Service {
    let engine: Engine
    let metrics: APIMetrics

    func run() async throws {
        var started: [String: Date] = [:]
        for await event in engine.subscribe().cancelOnGracefulShutdown() {
            guard let step = event.step else { continue }
            let key = event.workflowID + "/" + step
            switch event.kind {
            case .stepStarted:
                started[key] = event.at
            case .stepSucceeded, .stepFailed, .stepSkipped, .stepRetry, .workflowWaiting, .workflowCancelled:
                if let begin = started.removeValue(forKey: key) {
                    let seconds = max(0, event.at.timeIntervalSince(begin))
                    metrics.observeStep(
                        step, outcome: String(event.kind.rawValue.split(separator: ".").last ?? ""),
                        duration: .milliseconds(Int64(seconds * 1000)))
                }
            default:
                break
            }
        }
    }
}

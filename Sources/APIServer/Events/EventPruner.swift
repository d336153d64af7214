import Foundation
import Logging
import ServiceLifecycle
import Store
import WorkflowEngine

/// Deletes the progress events of runs that finished longer than the retention ago, at start and then every
/// `retention.interval`, until the service group shuts down. Never the audit log, never an unfinished run's
/// events (`Store.pruneEvents(finishedBefore:)`). A failed pass is logged and tried again at the next one.
struct EventPruner: Service {
    let store: any EventHistoryRepository
    let retention: EventRetention
    let logger: Logger
    var now: @Sendable () -> Date = { Date() }

    func run() async throws {
        let interval = retention.interval
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await prune()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    /// One pass: deletes what is due now; the count, or nil when the store failed (logged).
    @discardableResult
    func prune() async -> Int? {
        let cutoff = now().addingTimeInterval(-Double(retention.seconds))
        do {
            let pruned = try await store.pruneEvents(finishedBefore: cutoff)
            if pruned > 0 {
                logger.info(
                    "pruned \(pruned) progress event(s) of runs finished before \(cutoff) (retention \(retention))")
            }
            return pruned
        } catch {
            logger.warning("event retention: pruning progress events failed (tried again later): \(error)")
            return nil
        }
    }
}

import Foundation
import Logging
import Orchestration
import ServiceLifecycle
import Store
import WorkflowEngine

/// `serve --drift-every 24h`: starts a drift sweep over every stored server with a BMC (one `drift-check` run
/// each, as a batch) when the newest `drift-check` run in the store is older than the interval, so a restart
/// neither skips a sweep nor repeats one, and a sweep started by hand counts. The runs are durable workflows: this
/// process's launcher runs them, or `hwautomation worker` processes do when the server runs none.
struct DriftScheduler: Service {
    let drift: DriftService
    let store: any WorkflowRepository
    let launcher: WorkflowLauncher
    let every: EventRetention
    let logger: Logger
    var now: @Sendable () -> Date = { Date() }

    /// What one scheduled sweep did.
    enum Outcome: Equatable {
        /// These runs were created (and handed to the launcher).
        case started([String])
        /// No stored server has a BMC address: the next look is a whole interval later.
        case nothing
        /// The store refused (logged): the next try is a minute later.
        case failed
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let due = await dueIn()
            let wait: Duration =
                if due > .zero {
                    due
                } else {
                    switch await sweep() {
                    case .started: .zero
                    case .nothing: every.duration
                    case .failed: .seconds(60)
                    }
                }
            guard wait > .zero else { continue }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
            } catch {
                return
            }
        }
    }

    /// How long until the next sweep is due (zero or less: now); a failed store read waits a minute.
    func dueIn() async -> Duration {
        do {
            let newest = try await store.workflows(WorkflowFilter(definition: DriftWorkflows.check, limit: 1)).first
            guard let newest else { return .zero }
            let due = newest.created.addingTimeInterval(Double(every.seconds))
            return .milliseconds(Int64(due.timeIntervalSince(now()) * 1000))
        } catch {
            logger.warning("drift schedule: the store failed (tried again in a minute): \(error)")
            return .seconds(60)
        }
    }

    /// One scheduled sweep over every stored server with a BMC address.
    func sweep() async -> Outcome {
        do {
            let servers = try await drift.servers(.all)
            guard !servers.isEmpty else {
                logger.info("drift schedule: no stored server has a BMC address; nothing to check")
                return .nothing
            }
            let started = try await drift.sweep(servers, tls: nil, actor: "schedule (serve --drift-every \(every))")
            launcher.start(started.runs.map(\.id))
            logger.info("drift schedule: checking \(started.runs.count) server(s), batch \(started.batch ?? "-")")
            return .started(started.runs.map(\.id))
        } catch {
            logger.warning("drift schedule: the sweep could not start (tried again in a minute): \(error)")
            return .failed
        }
    }
}

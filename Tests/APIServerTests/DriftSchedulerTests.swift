import Catalog
import Foundation
import Logging
import Orchestration
import Remote
import Store
import Synchronization
import Testing
import WorkflowEngine

@testable import APIServer

/// `serve --drift-every`: a sweep is due when the newest drift-check run is older than the interval (none yet:
/// at once), covers every stored server with a BMC, and is audited as the schedule's.
@Suite("Drift schedule")
struct DriftSchedulerTests {
    @Test("due at once without a check; a sweep of every server with a BMC; due again one interval later")
    func schedule() async throws {
        var logger = Logger(label: "drift-schedule-test")
        logger.logLevel = .critical
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let store = InMemoryStore(box: .ephemeral())
        let services = CommissioningServices(
            catalog: catalog, store: store, runner: ProcessRunner(logger: logger), logger: logger)
        let engine = Engine(
            repository: store, definitions: CommissioningWorkflows.definitions(services), logger: logger)
        // The runs are only created: workers would take them (nothing here reaches a BMC).
        let launcher = WorkflowLauncher(engine: engine, local: false, logger: logger)
        let clock = Clock()
        let scheduler = DriftScheduler(
            drift: DriftService(engine: engine, store: store, catalog: catalog), store: store, launcher: launcher,
            every: try EventRetention(parsing: "24h", option: "--drift-every"), logger: logger,
            now: { clock.now })

        #expect(await scheduler.dueIn() <= .zero)
        #expect(await scheduler.sweep() == .nothing)
        try await store.upsertServer(
            ServerRecord(id: "a", name: "a", bmcAddress: "https://10.0.0.1", credential: "c", deviceType: "s2.c2.small")
        )
        try await store.upsertServer(ServerRecord(id: "b", name: "b", bmcAddress: "https://10.0.0.2"))
        try await store.upsertServer(ServerRecord(id: "no-bmc", name: "no-bmc"))
        guard case .started(let ids) = await scheduler.sweep() else {
            Issue.record("the sweep did not start")
            return
        }
        let runs = try await store.workflows(WorkflowFilter(definition: DriftWorkflows.check))
        #expect(Set(runs.map(\.id)) == Set(ids) && Set(runs.map(\.serverID)) == ["a", "b"])
        let created = try #require(runs.map(\.created).max())
        clock.now = created.addingTimeInterval(3_600)
        let wait = await scheduler.dueIn()
        #expect(wait > .seconds(22 * 3_600) && wait <= .seconds(23 * 3_600))
        clock.now = created.addingTimeInterval(24 * 3_600 + 1)
        #expect(await scheduler.dueIn() <= .zero)
        let audit = try await store.auditLog(limit: 5)
        #expect(audit.contains { $0.action == "drift.sweep" && $0.actor == "schedule (serve --drift-every 24h)" })
    }

    /// A settable time for the scheduler.
    final class Clock: Sendable {
        private let value = Mutex(Date())
        var now: Date {
            get { value.withLock { $0 } }
            set { value.withLock { $0 = newValue } }
        }
    }
}

import ArgumentParser
import Catalog
import Foundation
import Logging
import Orchestration
import Store
import WorkflowEngine

/// `hwautomation worker`.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run workflows from a shared store (PostgreSQL) beside other workers, until stopped.",
        discussion: """
            Every few seconds the worker leases runnable workflows — pending ones, and running ones whose worker \
            is gone (a process of this host that no longer exists) or whose lease expired (no heartbeat for \
            --lease-seconds) — with SELECT ... FOR UPDATE SKIP LOCKED, so that workers never take the same run, \
            and drives at most --concurrency of them, heartbeating its leases. A run taken over mid-step resumes \
            by the engine's rules: a step that changes a server is checked before it is run again. With --zone it \
            takes only workflows whose input names that zone (the servers whose BMC network it reaches). Stopping \
            a worker (SIGTERM, SIGKILL, a crash) leaves its runs to the others; nothing is lost.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var engineOptions: EngineOptions
    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Take only workflows whose input `zone` is this.") var zone: String?
    @Option(name: .customLong("lease-seconds"), help: "A lease without a heartbeat this long is taken over.")
    var leaseSeconds = 60
    @Option(name: .customLong("poll-seconds"), help: "How often to look for work.") var pollSeconds = 2.0
    @Flag(help: "Stop once no accepted workflow is pending or running anywhere (a batch's end).")
    var drain = false

    func validate() throws {
        guard leaseSeconds >= 5 else { throw ValidationError("--lease-seconds must be at least 5") }
        guard pollSeconds > 0 else { throw ValidationError("--poll-seconds must be positive") }
    }

    func run() async throws {
        var logger = Logger(label: "hwautomation.worker")
        logger.logLevel = .notice
        let catalog = try catalogOptions.load().catalog
        let store = try await store.open()
        let engine = engineOptions.engine(
            store: store, catalog: catalog, logger: logger, leaseTimeout: .seconds(leaseSeconds))
        let zone = zone
        let accepts: @Sendable (WorkflowRecord) -> Bool = { workflow in
            zone == nil || (try? CommissioningInput(values: WorkflowMachine.input(workflow.input)))?.zone == zone
        }
        FileHandle.standardError.write(
            Data(
                "worker \(engine.owner): \(engineOptions.concurrency) at once\(zone.map { ", zone \($0)" } ?? "")\n"
                    .utf8))
        let driven = await engine.work(poll: .milliseconds(Int(pollSeconds * 1000)), drain: drain, accepts: accepts)
        FileHandle.standardError.write(Data("worker \(engine.owner): stopped after \(driven) run(s)\n".utf8))
    }
}

import ArgumentParser
import Catalog
import Foundation
import Logging
import Orchestration
import Store
import WorkflowEngine

struct WorkflowCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Stop a run: its process stops it mid-step within seconds; a pending or waiting run stops now.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions
    @Argument(help: "Workflow id.") var id: String

    func run() async throws {
        let store = try await self.store.open()
        let catalog = try catalogOptions.load().catalog
        let engine = EngineOptions.engine(
            store: store, catalog: catalog, logger: Logger(label: "hwautomation.workflow"))
        let id = self.id
        let cancelled = try await serving { () async throws(ServiceError) in
            try await WorkflowService(engine: engine, store: store, catalog: catalog).cancel(id)
        }
        print("cancel requested for \(id) (now \(cancelled.state.rawValue))")
    }
}

struct WorkflowResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue runs: one (waiting, failed or cancelled, with a decision), or --all interrupted ones.",
        discussion: """
            With an id: the run continues from its first unfinished step; --device-type gives the decision a \
            waiting classification asks for. With --all: every pending run, and every running run whose \
            process is gone (killed, crashed, rebooted), continues from its last stored step; a step that \
            changes the server and was in flight is checked (the BIOS read back) before it runs again.
            """)
    @Argument(help: "Workflow id.") var id: String?
    @Flag(help: "Every interrupted run.") var all = false
    @Option(name: .customLong("device-type"), help: "The operator's choice of device type.") var deviceType: String?
    @Flag(help: "Continue although classification disagrees with --device-type.") var force = false
    @Flag(help: "Print the event stream as JSON lines.") var json = false
    @OptionGroup var engineOptions: EngineOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions

    func validate() throws {
        guard (id != nil) != all else { throw ValidationError("give a workflow id or --all") }
    }

    func run() async throws {
        let store = try await self.store.open()
        let catalog = try catalogOptions.load().catalog
        let engine = engineOptions.engine(
            store: store, catalog: catalog, logger: Logger(label: "hwautomation.workflow"))
        var records: [WorkflowRecord]
        if let id {
            let (deviceType, force) = (self.deviceType, self.force)
            records = [
                try await serving { () async throws(ServiceError) in
                    try await WorkflowService(engine: engine, store: store, catalog: catalog).resume(
                        id, deviceType: deviceType, force: force)
                }
            ]
        } else {
            do {
                records = try await engine.resumable()
            } catch {
                throw CommandFailure("\(error)")
            }
        }
        guard !records.isEmpty else {
            print("nothing to resume")
            return
        }
        let names = Dictionary(records.map { ($0.id, $0.serverID) }, uniquingKeysWith: { $1 })
        let steps = await engine.definition(records[0].definition)?.steps.count ?? 7
        if !json { print("resuming \(records.count) run(s)") }
        let results = try await WorkflowRunner.run(
            engine: engine, ids: records.map(\.id), names: names, stepCount: steps, json: json)
        if !json { print(try await WorkflowSummary.table(results, store: store)) }
        if results.contains(where: { $0.state == .failed || $0.state == .cancelled }) { throw ExitCode(1) }
    }
}

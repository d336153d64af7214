import ArgumentParser
import Catalog
import Foundation
import Logging
import Orchestration
import Store
import WorkflowEngine

/// `hwautomation drift`: sweep (the default), show, remediate.
struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Which servers no longer have their type's BIOS settings or firmware: check, show, remediate.",
        subcommands: [DriftSweepCommand.self, DriftShowCommand.self, DriftRemediateCommand.self],
        defaultSubcommand: DriftSweepCommand.self)
}

/// What a sweep and a remediation both start from: which servers, the engine's limits, the store and the catalog.
struct DriftRunOptions: ParsableArguments {
    @OptionGroup var selection: ServerSelectionOptions
    @OptionGroup var engineOptions: EngineOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions

    /// The store, an engine over it, the service, and the selected servers (an error printed and exit 1 when the
    /// selection names none).
    func open() async throws -> (any Store, Engine, DriftService, [ServerRecord]) {
        let catalog = try catalogOptions.load().catalog
        let store = try await self.store.open()
        let engine = engineOptions.engine(store: store, catalog: catalog, logger: Logger(label: "hwautomation.drift"))
        let servers = try await selection.servers(store: store, catalog: catalog)
        return (store, engine, DriftService(engine: engine, store: store, catalog: catalog), servers)
    }
}

/// `drift sweep` (also plain `drift`).
struct DriftSweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Read each selected server's BMC (read-only) and compare BIOS and firmware with its device type.",
        discussion: """
            One drift-check run per server (a batch when several), under --concurrency, each reaching the BMC as \
            the server's newest run did (its stored credential, TLS choice and system). BIOS settings are compared \
            through the same planner as an apply, so each differing setting has the fate an apply would meet \
            (change, pending, vendor_tool; unresolved, invalid and read_only are listed, not counted as drift). \
            Firmware is compared with the repository (--firmware-dir) under the default policy when it holds \
            images for the server's vendor. Results are stored per server with their history \
            (`hwautomation drift show`, GET /api/v1/drift).

            Exit status: 0 when every server is in sync, 2 when any drifted, 1 when any could not be checked.
            """)

    @OptionGroup var options: DriftRunOptions
    @OptionGroup var sweep: SweepOptions
    @Flag(help: "Print the servers' drift records as JSON.") var json = false

    func run() async throws {
        let (store, engine, service, servers) = try await options.open()
        let tls = sweep.tls
        let started = try await serving { () async throws(ServiceError) in
            try await service.sweep(servers, tls: tls, actor: "cli")
        }
        guard
            let results = try await sweep.run(
                started, workflow: DriftWorkflows.check, engine: engine, concurrency: options.engineOptions.concurrency,
                quiet: json)
        else { return }
        let records = try await exitingOnError { try await DriftText.records(for: results, store: store) }
        if json {
            print(try Terminal.json(DriftReport(records: records)))
        } else {
            print(DriftText.table(records))
        }
        if records.contains(where: { $0.state == .unreachable }) { throw ExitCode(1) }
        if records.contains(where: { $0.state == .drifted }) { throw ExitCode(2) }
    }
}

/// `drift show`.
struct DriftShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "The stored drift: every server's newest check by type, or one server's history (no BMC is read).")

    @Option(help: "One server: its checks, newest first.") var server: String?
    @Option(help: "With --server: how many checks.") var history = 10
    @Option(help: ArgumentHelp("Only servers recorded as this device type.", valueName: "type")) var type: String?
    @Option(help: "Only servers in this state: in_sync, drifted, unreachable, untyped.") var state: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions

    func validate() throws {
        if let state, DriftState(rawValue: state) == nil {
            throw ValidationError(
                "--state must be one of " + DriftState.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard (1...1000).contains(history) else { throw ValidationError("--history must be from 1 to 1000") }
    }

    func run() async throws {
        let logger = Logger(label: "hwautomation.drift")
        let catalog = try catalogOptions.load().catalog
        let store = try await self.store.open()
        let service = DriftService(
            engine: EngineOptions.engine(store: store, catalog: catalog, logger: logger), store: store,
            catalog: catalog)
        if let server {
            let (limit, id) = (history, server)
            let records = try await serving { () async throws(ServiceError) in
                try await service.history(id, limit: limit)
            }
            if json {
                print(try Terminal.json(records))
            } else if records.isEmpty {
                print("\(server): never checked (`hwautomation drift --server \(server)`)")
            } else {
                print(DriftText.history(records))
            }
            return
        }
        let type = self.type
        var report = try await serving { () async throws(ServiceError) in try await service.report(deviceType: type) }
        if let state = state.flatMap(DriftState.init(rawValue:)) {
            report.servers = report.servers.filter { $0.state == state }
        }
        if json {
            print(try Terminal.json(report))
            return
        }
        var table = TextTable(["TYPE", "SERVERS", "IN SYNC", "DRIFTED", "BIOS", "FIRMWARE", "UNREACHABLE", "UNTYPED"])
        for line in report.types {
            table.add(
                [line.deviceType]
                    + [
                        line.servers, line.inSync, line.drifted, line.bios, line.firmware, line.unreachable,
                        line.untyped,
                    ].map(String.init))
        }
        print(table.render() + "\n\n" + DriftText.table(report.servers))
    }
}

/// `drift remediate`.
struct DriftRemediateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remediate",
        abstract: "Provision the selected servers that drifted as their type again: a dry run unless --apply.",
        discussion: """
            One device-specific-provisioning run per selected server whose newest check drifted, as its recorded \
            type, reaching it as its newest run did. Without --apply the runs discover, classify and plan only \
            (what would change is in each run's plan-bios step); with --apply they apply the BIOS settings (one \
            PATCH, one reset) and verify. MAAS and BMC-network settings are not carried over. Check again \
            afterwards with `hwautomation drift`.
            """)

    @OptionGroup var options: DriftRunOptions
    @Flag(help: "Apply (one reset per server); without it, a dry run.") var apply = false
    @Flag(help: "Print the event stream as JSON lines.") var json = false

    func run() async throws {
        let (store, engine, service, servers) = try await options.open()
        let apply = self.apply
        let started = try await serving { () async throws(ServiceError) in
            try await service.remediate(servers, apply: apply, actor: "cli")
        }
        if !json {
            FileHandle.standardOutput.write(
                Data(
                    ("\(CommissioningWorkflows.deviceSpecific)\(apply ? "" : " (dry run)"): \(started.runs.count) "
                        + "drifted server(s)" + (started.batch.map { ", batch \($0)" } ?? "") + "\n").utf8))
        }
        let names = Dictionary(uniqueKeysWithValues: started.runs.map { ($0.id, $0.serverID) })
        guard let definition = await engine.definition(CommissioningWorkflows.deviceSpecific) else { throw ExitCode(1) }
        let results = try await WorkflowRunner.run(
            engine: engine, ids: started.runs.map(\.id), names: names, stepCount: definition.steps.count, json: json)
        if !json { print(try await WorkflowSummary.table(results, store: store)) }
        if results.contains(where: { $0.state == .failed || $0.state == .cancelled }) { throw ExitCode(1) }
    }
}

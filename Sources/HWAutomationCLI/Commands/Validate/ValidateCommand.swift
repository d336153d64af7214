import ArgumentParser
import Catalog
import Foundation
import Logging
import Orchestration
import Store
import WorkflowEngine

/// `hwautomation validate`: run (the default), show, attention.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Is a server fit to hand over? Boarding validation: run, show a server's report, list who needs "
            + "attention.",
        subcommands: [ValidateRunCommand.self, ValidateShowCommand.self, ValidateAttentionCommand.self],
        defaultSubcommand: ValidateRunCommand.self)

    /// The store, the catalog and the service over an engine.
    static func open(engineOptions: EngineOptions, store: StoreOptions, catalog catalogOptions: CatalogOptions)
        async throws -> (any Store, Catalog, Engine, ValidationService)
    {
        let catalog = try catalogOptions.load().catalog
        let store = try await store.open()
        let engine = engineOptions.engine(
            store: store, catalog: catalog, logger: Logger(label: "hwautomation.validate"))
        return (store, catalog, engine, ValidationService(engine: engine, store: store, catalog: catalog))
    }

    /// The service for reading reports (its engine runs nothing).
    static func reading(store: StoreOptions, catalog catalogOptions: CatalogOptions) async throws -> ValidationService {
        let catalog = try catalogOptions.load().catalog
        let store = try await store.open()
        return ValidationService(
            engine: EngineOptions.engine(
                store: store, catalog: catalog, logger: Logger(label: "hwautomation.validate")),
            store: store, catalog: catalog)
    }
}

/// `validate run` (also plain `validate`).
struct ValidateRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Read each selected server's BMC (read-only) and judge it fit to hand over against its device type.",
        discussion: """
            One boarding-validation run per server (a batch when several), under --concurrency, each reaching the \
            BMC (and its IPMI address, when its newest run had one) as the server's newest run did. Checks: boot \
            mode and Secure Boot as the type wants them, the BMC answering Redfish (and IPMI) with the automation \
            user, sensors inside their critical thresholds, no critical log (SEL) entry since the server's \
            commissioning started, the type's NIC links up at its speed, its drives present at their sizes and \
            healthy, firmware at the update policy's versions (when the repository, --firmware-dir, has images for \
            the vendor). A check with nothing to judge is "not-checked", never "passed". A failed check marks the \
            server needs-attention with the reasons; a later validation that passes marks it validated. Intelligent \
            commissioning runs the same checks before it records a server, and does not hand a server that fails \
            them to MAAS.

            Exit status: 0 when every server passed, 2 when any needs attention, 1 when any could not be validated.
            """)

    @OptionGroup var selection: ServerSelectionOptions
    @OptionGroup var sweep: SweepOptions
    @Flag(help: "Print the reports as JSON.") var json = false
    @OptionGroup var engineOptions: EngineOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions

    func run() async throws {
        let (store, catalog, engine, service) = try await ValidateCommand.open(
            engineOptions: engineOptions, store: self.store, catalog: catalogOptions)
        let servers = try await selection.servers(store: store, catalog: catalog)
        let tls = sweep.tls
        let started = try await serving { () async throws(ServiceError) in
            try await service.start(servers, tls: tls, actor: "cli")
        }
        guard
            let results = try await sweep.run(
                started, workflow: BoardingWorkflows.validation, engine: engine,
                concurrency: engineOptions.concurrency, quiet: json)
        else { return }
        var reports: [BoardingReport] = []
        var unvalidated: [String] = []
        for run in results.sorted(by: { $0.serverID < $1.serverID }) {
            if run.state == .succeeded, let report = try? await service.report(run.serverID) {
                reports.append(report)
            } else {
                unvalidated.append(
                    "\(run.serverID): the validation \(run.id) \(run.state.rawValue)"
                        + (run.reason.map { ": \($0)" } ?? ""))
            }
        }
        if json {
            print(try Terminal.json(reports))
        } else {
            print(ValidationText.reports(reports) + unvalidated.map { "\n" + $0 }.joined())
        }
        if !unvalidated.isEmpty { throw ExitCode(1) }
        if reports.contains(where: { !$0.passed }) { throw ExitCode(2) }
    }
}

/// `validate show`.
struct ValidateShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A server's newest boarding report, check by check (no BMC is read).")

    @Option(help: "The server.") var server: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions

    func run() async throws {
        let service = try await ValidateCommand.reading(store: store, catalog: catalogOptions)
        let id = server
        let report = try await serving { () async throws(ServiceError) in try await service.report(id) }
        print(json ? try Terminal.json(report) : ValidationText.reports([report]))
    }
}

/// `validate attention`.
struct ValidateAttentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attention", abstract: "The servers that need attention, each with the checks it failed.")

    @Option(help: ArgumentHelp("Only servers recorded as this device type.", valueName: "type")) var type: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions

    func run() async throws {
        let service = try await ValidateCommand.reading(store: store, catalog: catalogOptions)
        let type = self.type
        let reports = try await serving { () async throws(ServiceError) in
            try await service.attention(deviceType: type)
        }
        if json {
            print(try Terminal.json(reports))
        } else {
            print(reports.isEmpty ? "no server needs attention" : ValidationText.reports(reports))
        }
    }
}

import APIServer
import ArgumentParser
import Catalog
import Foundation
import Logging
import Orchestration
import Store
import WorkflowEngine

/// `firmware rollout`: start (the default), show, list.
struct FirmwareRolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Update many servers' firmware in waves (a canary first) that halt by themselves on failures.",
        subcommands: [
            FirmwareRolloutStartCommand.self, FirmwareRolloutShowCommand.self, FirmwareRolloutListCommand.self,
        ],
        defaultSubcommand: FirmwareRolloutStartCommand.self)

    /// The rollout service for commands that only read (show, list).
    static func service(store: StoreOptions, catalog catalogOptions: CatalogOptions) async throws -> RolloutService {
        let catalog = try catalogOptions.load().catalog
        let store = try await store.open()
        let engine = EngineOptions.engine(store: store, catalog: catalog, logger: Logger(label: "hwautomation.rollout"))
        return RolloutService(engine: engine, store: store, catalog: catalog)
    }
}

/// `firmware rollout start` (also plain `firmware rollout`).
struct FirmwareRolloutStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a firmware rollout over the selected servers and follow it.",
        discussion: """
            A durable firmware-rollout workflow: the selected servers in id order are cut into cumulative waves \
            (--waves 1,5%,25%,100%: one canary, then up to 5%, 25%, all), each wave's servers updated by a \
            firmware-update run each (BMC first, then BIOS with one reset; under --per-bmc and --per-vendor), a \
            failed update rolled back when the repository holds the version the server ran. When a wave's \
            failure rate passes --halt-at the rollout halts by itself: no later wave starts, and the run waits. \
            `hwautomation workflow resume ID` goes on (the halted wave accepted as it is); `hwautomation workflow \
            cancel ID` aborts. `firmware rollout show ID` shows each wave's updated, failed, rolled back and \
            skipped servers.

            Exit status: 0 when every wave is done, 1 when the rollout halted, failed or was cancelled.
            """)

    @OptionGroup var selection: ServerSelectionOptions
    @Option(help: "Update policy: manual, recommended, latest, security_only. Default: recommended.")
    var policy: String?
    @Option(help: ArgumentHelp("Cumulative wave sizes, the last 100%.", valueName: "sizes")) var waves = "1,5%,25%,100%"
    @Option(
        name: .customLong("halt-at"),
        help: ArgumentHelp("Halt when a wave's failure rate is above this.", valueName: "share"))
    var haltAt = "2%"
    @Option(
        name: .customLong("pause-between"),
        help: ArgumentHelp("Wait this long before each wave after the first (10m, 1h).", valueName: "duration"))
    var pauseBetween: String?
    @Flag(help: "Approve what a manual policy holds back.") var approve = false
    @Flag(name: .customLong("dry-run"), help: "Plan every server's update; flash nothing.") var dryRun = false
    @Flag(help: "Only create the rollout, for `hwautomation worker` processes to run.") var enqueue = false
    @Flag(help: "Print the rollout as JSON at the end.") var json = false
    @OptionGroup var engineOptions: EngineOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions

    func validate() throws {
        _ = try pauseSeconds()
    }

    func pauseSeconds() throws -> Int {
        guard let pauseBetween else { return 0 }
        do {
            return Int(try EventRetention(parsing: pauseBetween, option: "--pause-between").seconds)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let logger = Logger(label: "hwautomation.rollout")
        let catalog = try catalogOptions.load().catalog
        let store = try await self.store.open()
        let engine = engineOptions.engine(store: store, catalog: catalog, logger: logger)
        let servers = try await selection.servers(store: store, catalog: catalog)
        let service = RolloutService(engine: engine, store: store, catalog: catalog)
        let (policy, waves, haltAt, pause, approve, dryRun) = (
            self.policy, self.waves, self.haltAt, try pauseSeconds(), self.approve, self.dryRun
        )
        let started = try await serving { () async throws(ServiceError) in
            try await service.start(
                servers, policy: policy, waves: waves, haltAt: haltAt, pauseSeconds: pause, approve: approve,
                dryRun: dryRun, actor: "cli")
        }
        if enqueue {
            print("firmware-rollout \(started.id): \(servers.count) server(s), created for the workers")
            return
        }
        if !json {
            print("firmware-rollout \(started.id): \(servers.count) server(s), waves \(waves), halt at \(haltAt)")
        }
        let results = try await WorkflowRunner.run(
            engine: engine, ids: [started.id], names: [started.id: "rollout"],
            stepCount: FirmwareRollout.waveKeys.count + 2, json: false, quiet: json)
        let view = try await serving { () async throws(ServiceError) in try await service.show(started.id) }
        print(json ? try Terminal.json(view) : RolloutText.render(view))
        if results.first?.state != .succeeded { throw ExitCode(1) }
    }
}

/// `firmware rollout show ID`.
struct FirmwareRolloutShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A rollout's waves: updated, failed, rolled back, skipped, waiting.")

    @Argument(help: "The rollout's workflow id.") var id: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions

    func run() async throws {
        let service = try await FirmwareRolloutCommand.service(store: store, catalog: catalogOptions)
        let id = self.id
        let view = try await serving { () async throws(ServiceError) in try await service.show(id) }
        print(json ? try Terminal.json(view) : RolloutText.render(view))
    }
}

/// `firmware rollout list`.
struct FirmwareRolloutListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The newest rollouts.")

    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions

    func run() async throws {
        let service = try await FirmwareRolloutCommand.service(store: store, catalog: catalogOptions)
        let views = try await serving { () async throws(ServiceError) in try await service.list() }
        if json {
            print(try Terminal.json(views))
            return
        }
        var table = TextTable(["ROLLOUT", "STATE", "SERVERS", "WAVES", "POLICY", "STARTED"])
        for view in views {
            table.add([
                view.id, view.state.rawValue, String(view.servers),
                view.waves.map { "\($0.wave):\($0.state)" }.joined(separator: " "), view.policy ?? "recommended",
                view.created.formatted(.iso8601),
            ])
        }
        print(table.render())
    }
}

/// How a rollout is printed.
enum RolloutText {
    static func render(_ view: RolloutView) -> String {
        var table = TextTable(["WAVE", "SERVERS", "STATE", "UPDATED", "FAILED", "ROLLED BACK", "SKIPPED", "WAITING"])
        for wave in view.waves {
            table.add(
                [String(wave.wave), String(wave.servers.count), wave.state]
                    + [
                        wave.updated.count, wave.failed.count, wave.rolledBack.count, wave.skipped.count,
                        wave.waiting.count,
                    ]
                    .map(String.init))
        }
        var lines = [
            "rollout \(view.id): \(view.state.rawValue) (policy \(view.policy ?? "recommended"), halt at "
                + "\(view.haltAt)%\(view.dryRun ? ", dry run" : ""))",
            table.render(),
        ]
        for wave in view.waves {
            for server in wave.failed.keys.sorted() {
                lines.append("  wave \(wave.wave) \(server): \(wave.failed[server] ?? "")")
            }
        }
        if view.state == .waiting, let reason = view.reason {
            lines.append("")
            lines.append(reason)
        }
        return lines.joined(separator: "\n")
    }
}

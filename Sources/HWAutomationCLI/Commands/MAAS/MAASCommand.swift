import ArgumentParser
import Foundation
import Logging
import MAAS
import Orchestration
import Store

/// Which MAAS region and key: `--maas-url` / $HWA_MAAS_URL, and the key from a stored credential or
/// $HWA_MAAS_API_KEY (never from the command line).
struct MAASOptions: ParsableArguments {
    @Option(
        name: .customLong("maas-url"),
        help: ArgumentHelp("The MAAS region (http://maas:5240/MAAS). Default: $HWA_MAAS_URL.", valueName: "url"))
    var url: String?

    @Option(help: "Stored credential (kind maas) holding the API key. Default: $HWA_MAAS_API_KEY.")
    var credential: String?

    @Option(help: "Seconds before a MAAS request is abandoned.") var timeout = 30

    @Option(
        name: .customLong("maas-tls"),
        help: ArgumentHelp("TLS for an https region: verify, insecure, ca:FILE.", valueName: "policy"))
    var tls: String?

    @OptionGroup var store: StoreOptions

    /// The region these options name, as a service (its key from a stored credential or $HWA_MAAS_API_KEY); the
    /// store is opened when the key is stored there, or when `withStore` (sync writes to it).
    func service(logger: Logger, withStore: Bool = false) async throws -> MAASService {
        let environment = ProcessInfo.processInfo.environment
        guard let text = url ?? environment["HWA_MAAS_URL"], let region = URL(string: text) else {
            throw CommandFailure("give --maas-url or set HWA_MAAS_URL")
        }
        let key: MAASService.Key
        if let credential {
            key = .credential(credential)
        } else if let value = environment["HWA_MAAS_API_KEY"] {
            key = .key(value)
        } else {
            throw CommandFailure("give --credential NAME (a stored API key) or set HWA_MAAS_API_KEY")
        }
        return MAASService(
            url: region, key: key, tls: tls, timeout: .seconds(timeout),
            store: credential == nil && !withStore ? nil : try await store.open(), logger: logger)
    }
}

/// Runs `operation` on the region `options` names, printing its error and exiting 1.
func withMAAS<T: Sendable>(
    _ options: MAASOptions, withStore: Bool = false, _ operation: (MAASService) async throws(ServiceError) -> T
) async throws -> T {
    let service = try await options.service(logger: Logger(label: "hwautomation.maas"), withStore: withStore)
    do {
        return try await operation(service)
    } catch {
        throw CommandFailure("\(error)")
    }
}

/// Runs `body` with a client of the region `options` names, printing a MAAS error and exiting 1.
func withMAAS<T: Sendable>(_ options: MAASOptions, _ body: (MAASClient) async throws -> T) async throws -> T {
    try await withMAAS(options) { (service: MAASService) async throws(ServiceError) -> T in
        try await service.withClient(body)
    }
}

/// `hwautomation maas`.
struct MAASCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maas",
        abstract: "Canonical MAAS (API 2.0): machines, commissioning, tags.",
        subcommands: [
            MAASMachinesCommand.self, MAASShowCommand.self, MAASCommissionCommand.self, MAASTagCommand.self,
            MAASSyncCommand.self,
        ])
}

struct MAASMachinesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "machines", abstract: "List machines.")
    @OptionGroup var maas: MAASOptions
    @Option(help: "Only machines in this status (Ready, New, \"Failed commissioning\", ...).") var status: String?
    @Option(help: "Only these hostnames.") var hostname: [String] = []
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let (status, hostnames) = (self.status, hostname)
        let machines = try await withMAAS(maas) { (service: MAASService) async throws(ServiceError) in
            try await service.machines(status: status, hostnames: hostnames)
        }
        if json {
            print(try Terminal.json(machines))
            return
        }
        var table = TextTable(["SYSTEM ID", "HOSTNAME", "STATUS", "POWER", "SERIAL", "TAGS"])
        for machine in machines {
            table.add([
                machine.systemID, machine.hostname, machine.status, machine.powerState ?? "-",
                machine.serial ?? "-", machine.tags.joined(separator: ","),
            ])
        }
        print(machines.isEmpty ? "no machines" : table.render())
    }
}

struct MAASShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One machine.")
    @OptionGroup var maas: MAASOptions
    @Argument(help: "System id.") var id: String

    func run() async throws {
        print(try Terminal.json(try await withMAAS(maas) { try await $0.machine(id) }))
    }
}

struct MAASCommissionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commission", abstract: "Commission a machine; --wait follows it to Ready.")
    @OptionGroup var maas: MAASOptions
    @Argument(help: "System id.") var id: String
    @Flag(name: .customLong("enable-ssh"), help: "Keep SSH open into the commissioning environment.")
    var enableSSH = false
    @Flag(help: "Wait until Ready (or Failed commissioning).") var wait = false
    @Option(name: .customLong("wait-timeout"), help: "Seconds to wait.") var waitTimeout = 1800

    func run() async throws {
        let id = self.id
        var options = MAASClient.CommissionOptions()
        options.enableSSH = enableSSH
        let machine = try await withMAAS(maas) { client in
            let started = try await client.commission(id, options: options)
            print("\(started.hostname): \(started.statusName)")
            guard wait else { return started }
            return try await client.wait(
                for: id, until: [MAASMachine.Status.ready],
                failOn: [MAASMachine.Status.failedCommissioning, MAASMachine.Status.failedTesting],
                timeout: .seconds(waitTimeout)
            ) { state in print("\(state.hostname): \(state.statusName)") }
        }
        if wait { print("\(machine.hostname) is \(machine.statusName)") }
    }
}

struct MAASTagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Create a tag if missing, and add it to or remove it from machines.")
    @OptionGroup var maas: MAASOptions
    @Argument(help: "Tag name.") var name: String
    @Option(help: "System ids to tag.") var add: [String] = []
    @Option(help: "System ids to untag.") var remove: [String] = []
    @Option(help: "Comment for a new tag.") var comment = ""

    func run() async throws {
        let (name, add, remove, comment) = (self.name, self.add, self.remove, self.comment)
        try await withMAAS(maas) { client in
            try await client.ensureTag(name, comment: comment)
            if !add.isEmpty || !remove.isEmpty { try await client.updateTagNodes(name, add: add, remove: remove) }
        }
        print("tag \(name): +\(add.count) -\(remove.count)")
    }
}

struct MAASSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Import MAAS's machines into the store, link the ones we know, and report where the two disagree.",
        discussion: """
            Machines are matched to servers by the MAAS id recorded before, then by serial or MAC from the stored \
            inventory; unmatched machines are imported as new servers. Drift: a hwa-type tag that is not our type, a \
            server we call commissioned that MAAS does not have Ready (or later), a machine MAAS no longer lists.
            """)
    @OptionGroup var maas: MAASOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let rows = try await withMAAS(maas, withStore: true) { (service: MAASService) async throws(ServiceError) in
            try await service.sync()
        }
        if json {
            print(try Terminal.json(rows))
            return
        }
        var table = TextTable(["SYSTEM ID", "HOSTNAME", "MAAS STATUS", "SERVER", "ACTION", "DRIFT"])
        for row in rows {
            table.add([
                row.systemID, row.hostname, row.maasStatus, row.server ?? "-", row.action,
                row.drift.joined(separator: "; "),
            ])
        }
        print(rows.isEmpty ? "MAAS lists no machines" : table.render())
        let drifted = rows.filter { !$0.drift.isEmpty }.count
        print("\(rows.count) machine(s); \(drifted) with drift")
    }
}

import ArgumentParser
import Catalog
import Foundation
import Logging
import MAAS
import Orchestration
import Redfish
import Store
import WorkflowEngine

/// `hwautomation workflow`.
struct WorkflowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow",
        abstract: "Run commissioning workflows (durable: a stopped run resumes where it stopped) and inspect them.",
        discussion: """
            Workflows: intelligent-commissioning (discover, classify, plan BIOS, configure the BMC, apply BIOS \
            with one reset, verify, record, commission in MAAS), device-specific-provisioning (the same, with \
            --device-type; a classification that disagrees is an error unless --force) and maas-provisioning \
            (MAAS first: commission with SSH, discover in the ephemeral environment, classify, configure the BMC \
            in band, apply BIOS, verify, tag in MAAS, record).
            """,
        subcommands: [
            WorkflowRunCommand.self, WorkflowListCommand.self, WorkflowShowCommand.self, WorkflowEventsCommand.self,
            WorkflowCancelCommand.self, WorkflowResumeCommand.self,
        ])
}

struct WorkflowRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract:
            "Run a workflow over one server (--server, or --bmc), a batch (--batch FILE), or MAAS machines (--maas-machine, --maas-status).",
        discussion: """
            A batch file is YAML (a `servers:` list of mappings) or CSV (a header row), with per server: bmc \
            (required), credential, tls (verify, insecure, pin, ca:FILE), system (Redfish system id, when the BMC \
            has several), ssh (user@host), ssh_port, ssh_key, known_hosts, ipmi, ipmi_port, ipmi_credential, \
            bmc_pool, device_type, rack, name. Credentials are names of stored secrets \
            (`hwautomation credentials set`), never the secrets.

            maas-provisioning takes its machines from MAAS: --maas-machine SYSTEM_ID (repeatable) or --maas-status \
            STATUS (every machine in that status, e.g. New; repeatable). It reaches each one at the address MAAS shows \
            as --ssh-user (default ubuntu, the ephemeral environment's user) with --ssh-key; the BMC is MAAS's power \
            address unless --bmc is given, and its login MAAS's power user and password (stored encrypted as \
            credential maas-SYSTEM_ID) unless --credential is given.

            Exit status: 0 when every run succeeded or waits for a decision, 1 when any failed or was cancelled.
            """)

    @Argument(help: "intelligent-commissioning or device-specific-provisioning.") var definition: String
    @Option(help: "A stored server (`servers add`).") var server: String?
    @Option(help: ArgumentHelp("The BMC's Redfish URL.", valueName: "url")) var bmc: String?
    @Option(help: "Stored credential for the BMC.") var credential: String?
    @Option(help: ArgumentHelp("SSH destination for in-band discovery.", valueName: "user@host")) var ssh: String?
    @Option(help: "The Redfish system id, when the BMC has several.") var system: String?
    @Option(name: .customLong("ssh-key"), help: "SSH private key file.") var sshKey: String?
    @Option(name: .customLong("known-hosts"), help: "SSH known_hosts file (default: the project's).")
    var knownHosts: String?
    @Option(name: .customLong("ssh-port"), help: "SSH port.") var sshPort: Int?
    @Option(help: ArgumentHelp("IPMI address of the BMC (configure-bmc).", valueName: "host")) var ipmi: String?
    @Option(name: .customLong("ipmi-port"), help: "IPMI port.") var ipmiPort: Int?
    @Option(name: .customLong("ipmi-credential"), help: "Stored credential for IPMI (default: --credential).")
    var ipmiCredential: String?
    @Option(help: ArgumentHelp("Batch inventory (YAML or CSV).", valueName: "file")) var batch: String?
    @Option(
        name: .customLong("maas-machine"),
        help: ArgumentHelp("A MAAS machine for maas-provisioning (repeatable).", valueName: "system-id"))
    var maasMachines: [String] = []
    @Option(
        name: .customLong("maas-status"),
        help: ArgumentHelp(
            "Every MAAS machine in this status, for maas-provisioning (repeatable).", valueName: "status"))
    var maasStatuses: [String] = []
    @Option(name: .customLong("ssh-user"), help: "SSH user in MAAS's ephemeral environment (default ubuntu).")
    var sshUser: String?
    @Option(name: .customLong("device-type"), help: "The device type (required for device-specific-provisioning).")
    var deviceType: String?
    @Flag(help: "Continue although classification disagrees with --device-type.") var force = false
    @Option(help: "Rack location, for the MAAS metadata (tag hwa-rack-…, description).") var rack: String?
    @Option(help: ArgumentHelp("TLS for the BMC: verify, insecure, pin, ca:FILE.", valueName: "policy"))
    var tls: String?
    @Option(
        name: .customLong("maas-url"),
        help: ArgumentHelp("MAAS region to commission in (default: $HWA_MAAS_URL).", valueName: "url"))
    var maasURL: String?
    @Option(
        name: .customLong("maas-credential"),
        help: "Stored credential holding the MAAS API key (default: $HWA_MAAS_API_KEY).")
    var maasCredential: String?
    @Option(
        name: .customLong("maas-tls"),
        help: ArgumentHelp("TLS for an https MAAS region: verify, insecure, ca:FILE.", valueName: "policy"))
    var maasTLS: String?
    @Flag(name: .customLong("dry-run"), help: "Discover, classify and plan only; change nothing.") var dryRun = false
    @Flag(help: "Print the event stream as JSON lines.") var json = false
    @Flag(
        help: "Only create the runs in the store, for `hwautomation worker` processes to take (a shared PostgreSQL).")
    var enqueue = false
    @OptionGroup var engineOptions: EngineOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions

    var fromMAAS: Bool { !maasMachines.isEmpty || !maasStatuses.isEmpty }

    func validate() throws {
        if definition == MAASProvisioning.name {
            guard fromMAAS, server == nil, batch == nil else {
                throw ValidationError("maas-provisioning takes its machines from --maas-machine or --maas-status")
            }
        } else {
            let sources = [server != nil, bmc != nil, batch != nil].filter { $0 }.count
            guard sources == 1, !fromMAAS else {
                throw ValidationError("give one of --server, --bmc or --batch (--maas-* are for maas-provisioning)")
            }
        }
        if let bmc {
            do {
                _ = try RedfishEndpoint.parseBaseURL(bmc)
            } catch {
                throw ValidationError("--bmc: \(error.message)")
            }
        }
        // What a start may ask for (device type, TLS, MAAS region) is checked by WorkflowService, as for the API.
    }

    /// The servers to run over, with their inputs.
    func entries(_ store: any Store) async throws -> [BatchInventory.Entry] {
        var common = CommissioningInput()
        common.deviceType = deviceType
        common.rack = rack
        common.force = force
        common.dryRun = dryRun
        common.tls = tls
        common.maasURL = maasURL
        common.maasCredential = maasCredential
        common.maasTLS = maasTLS
        if fromMAAS {
            return try await maasEntries(store, common: common)
        }
        if let batch {
            do {
                return try BatchInventory.load(batch).entries.map { entry in
                    var entry = entry
                    entry.input = entry.input.filling(from: common)
                    return entry
                }
            } catch {
                throw CommandFailure("\(error)")
            }
        }
        var input = common
        var name = server ?? ""
        if let server {
            guard let record = try await exitingOnError({ try await store.server(id: server) })
            else {
                throw CommandFailure("no stored server \(server) (`hwautomation servers list`)")
            }
            input.bmc = record.bmcAddress
            input.credential = record.credential
            input.sshHost = record.sshHost
        }
        input.bmc = bmc ?? input.bmc
        input.credential = credential ?? input.credential
        input.system = system
        input.sshHost = ssh ?? input.sshHost
        input.sshKey = sshKey
        input.knownHosts = knownHosts
        input.sshPort = sshPort
        input.ipmiHost = ipmi
        input.ipmiPort = ipmiPort
        input.ipmiCredential = ipmiCredential
        if name.isEmpty, let bmc, let url = URL(string: bmc.contains("://") ? bmc : "https://" + bmc) {
            name =
                (url.host ?? bmc) + (url.port.map { "-\($0)" } ?? "")
                + url.path.replacingOccurrences(of: "/", with: "-")
        }
        return [BatchInventory.Entry(name: name, input: input, origin: "command line")]
    }

    /// One entry per MAAS machine picked by id or status, named by its hostname.
    func maasEntries(_ store: any Store, common: CommissioningInput) async throws -> [BatchInventory.Entry] {
        var input = common
        input.bmc = bmc
        input.credential = credential
        input.sshUser = sshUser
        input.sshKey = sshKey
        input.sshPort = sshPort
        input.knownHosts = knownHosts
        input.system = system
        let environment = ProcessInfo.processInfo.environment
        guard let text = maasURL ?? environment["HWA_MAAS_URL"], let region = URL(string: text) else {
            throw CommandFailure(
                "give --maas-url and --maas-credential, or set HWA_MAAS_URL and HWA_MAAS_API_KEY")
        }
        let key: MAASService.Key
        if let maasCredential {
            key = .credential(maasCredential)
        } else if let value = environment["HWA_MAAS_API_KEY"] {
            key = .key(value)
        } else {
            throw CommandFailure("no MAAS API key (--maas-credential NAME, or HWA_MAAS_API_KEY)")
        }
        let service = MAASService(
            url: region, key: key, tls: maasTLS, store: store, logger: Logger(label: "hwautomation.maas"))
        let (picked, statuses) = (maasMachines, maasStatuses)
        let machines = try await serving { () async throws(ServiceError) in
            try await service.withClient { client in
                var machines: [MAASMachine] = []
                for id in picked { machines.append(try await client.machine(id)) }
                if !statuses.isEmpty {
                    let wanted = Set(statuses.map { $0.lowercased() })
                    machines += try await client.machines().filter {
                        wanted.contains($0.statusName.lowercased()) && !picked.contains($0.systemID)
                    }
                }
                return machines
            }
        }
        guard !machines.isEmpty else {
            throw CommandFailure("no MAAS machine is \(maasStatuses.joined(separator: " or "))")
        }
        return machines.map { machine in
            var entry = input
            entry.maasSystemID = machine.systemID
            return BatchInventory.Entry(name: machine.hostname, input: entry, origin: "MAAS \(machine.systemID)")
        }
    }

    func run() async throws {
        let logger = Logger(label: "hwautomation.workflow")
        let catalog = try catalogOptions.load().catalog
        let store = try await self.store.open()
        let engine = engineOptions.engine(store: store, catalog: catalog, logger: logger)
        let (name, deviceType, tls, maasURL, maasCredential) = (
            self.definition, self.deviceType, self.tls, self.maasURL, self.maasCredential
        )
        try await serving { () async throws(ServiceError) in
            try await WorkflowService(engine: engine, store: store, catalog: catalog).checkStart(
                definition: name, deviceType: deviceType, tls: tls, maasURL: maasURL, maasCredential: maasCredential)
        }
        guard let definition = await engine.definition(name) else { throw ExitCode(1) }
        let entries = try await entries(store)
        let dryRun = self.dryRun
        let (batchID, created) = try await serving { () async throws(ServiceError) in
            try await WorkflowService(engine: engine, store: store, catalog: catalog).start(
                name, entries.map { WorkflowService.StartEntry(serverID: $0.name, input: $0.input) }, dryRun: dryRun,
                actor: "cli")
        }
        let ids = created.map(\.id)
        let names = Dictionary(uniqueKeysWithValues: created.map { ($0.id, $0.serverID) })
        if enqueue {
            print(
                "\(definition.name) v\(definition.version): \(ids.count) run(s) created"
                    + (batchID.map { ", batch \($0)" } ?? "") + " for the workers (`workflow list"
                    + (batchID.map { " --batch \($0)" } ?? "") + "` follows them)")
            return
        }
        if !json {
            let header =
                "\(definition.name) v\(definition.version): \(ids.count) server(s)"
                + (batchID.map { ", batch \($0)" } ?? "") + ", \(engineOptions.concurrency) at once\n"
            FileHandle.standardOutput.write(Data(header.utf8))
        }
        let results = try await WorkflowRunner.run(
            engine: engine, ids: ids, names: names, stepCount: definition.steps.count, json: json)
        if !json {
            print(try await WorkflowSummary.table(results, store: store))
        }
        if results.contains(where: { $0.state == .failed || $0.state == .cancelled }) { throw ExitCode(1) }
    }
}

/// Runs workflows while showing their events.
enum WorkflowRunner {
    /// Runs `ids`, showing their events (as JSON lines with `json`, not at all with `quiet`); their final records.
    static func run(
        engine: Engine, ids: [String], names: [String: String], stepCount: Int, json: Bool, quiet: Bool = false
    ) async throws -> [WorkflowRecord] {
        let events = engine.subscribe()
        return await withTaskGroup(of: [WorkflowRecord]?.self) { group in
            group.addTask {
                var display = ProgressDisplay(json: json, names: names, stepCount: stepCount)
                for await event in events where !quiet { display.show(event) }
                return nil
            }
            group.addTask {
                let results = await engine.run(ids)
                engine.finishSubscribers()
                return results
            }
            var results: [WorkflowRecord] = []
            for await result in group { if let result { results = result } }
            return results
        }
    }
}

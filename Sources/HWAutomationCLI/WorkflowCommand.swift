import ArgumentParser
import Catalog
import Foundation
import Logging
import Orchestration
import Store
import WorkflowEngine

/// `hwautomation workflow`.
struct WorkflowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow",
        abstract: "Run commissioning workflows (durable: a stopped run resumes where it stopped) and inspect them.",
        discussion: """
            Workflows: intelligent-commissioning (discover, classify, plan BIOS, configure the BMC, apply BIOS \
            with one reset, verify, record) and device-specific-provisioning (the same, with --device-type; a \
            classification that disagrees is an error unless --force).
            """,
        subcommands: [
            WorkflowRunCommand.self, WorkflowListCommand.self, WorkflowShowCommand.self, WorkflowEventsCommand.self,
            WorkflowCancelCommand.self, WorkflowResumeCommand.self,
        ])
}

struct WorkflowRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workflow over one server (--server, or --bmc) or a batch (--batch FILE).",
        discussion: """
            A batch file is YAML (a `servers:` list of mappings) or CSV (a header row), with per server: bmc \
            (required), credential, tls (verify, insecure, pin, ca:FILE), system (Redfish system id, when the BMC \
            has several), ssh (user@host), ssh_port, ssh_key, known_hosts, ipmi, ipmi_port, ipmi_credential, \
            bmc_pool, device_type, name. Credentials are names of stored secrets \
            (`hwautomation credentials set`), never the secrets.

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
    @Option(name: .customLong("device-type"), help: "The device type (required for device-specific-provisioning).")
    var deviceType: String?
    @Flag(help: "Continue although classification disagrees with --device-type.") var force = false
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
    @Flag(name: .customLong("dry-run"), help: "Discover, classify and plan only; change nothing.") var dryRun = false
    @Flag(help: "Print the event stream as JSON lines.") var json = false
    @OptionGroup var engineOptions: EngineOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions

    func validate() throws {
        let sources = [server != nil, bmc != nil, batch != nil].filter { $0 }.count
        guard sources == 1 else { throw ValidationError("give one of --server, --bmc or --batch") }
        if (maasURL == nil) != (maasCredential == nil) {
            throw ValidationError("give --maas-url and --maas-credential together")
        }
        if let tls, !["verify", "insecure", "pin"].contains(tls), !tls.hasPrefix("ca:") {
            throw ValidationError("--tls must be verify, insecure, pin or ca:FILE")
        }
    }

    /// The servers to run over, with their inputs.
    func entries(_ store: any Store) async throws -> [BatchInventory.Entry] {
        var common: [String: String] = [:]
        if let deviceType { common["device_type"] = deviceType }
        if force { common["force"] = "true" }
        if dryRun { common["dry_run"] = "true" }
        if let tls { common["tls"] = tls }
        if let maasURL { common["maas_url"] = maasURL }
        if let maasCredential { common["maas_credential"] = maasCredential }
        if let batch {
            do {
                return try BatchInventory.load(batch).entries.map { entry in
                    var entry = entry
                    entry.input.merge(common) { mine, _ in mine }
                    return entry
                }
            } catch {
                Terminal.printError("error: \(error)")
                throw ExitCode(1)
            }
        }
        var input = common
        var name = server ?? ""
        if let server {
            guard let record = try await storeCall({ () throws(StoreError) in try await store.server(id: server) })
            else {
                Terminal.printError("error: no stored server \(server) (`hwautomation servers list`)")
                throw ExitCode(1)
            }
            input["bmc"] = record.bmcAddress
            input["credential"] = record.credential
            input["ssh_host"] = record.sshHost
        }
        for (key, value) in [
            ("bmc", bmc), ("credential", credential), ("system", system), ("ssh_host", ssh), ("ssh_key", sshKey),
            ("known_hosts", knownHosts),
            ("ssh_port", sshPort.map(String.init)), ("ipmi_host", ipmi), ("ipmi_port", ipmiPort.map(String.init)),
            ("ipmi_credential", ipmiCredential),
        ] {
            if let value { input[key] = value }
        }
        if name.isEmpty, let bmc, let url = URL(string: bmc.contains("://") ? bmc : "https://" + bmc) {
            name =
                (url.host ?? bmc) + (url.port.map { "-\($0)" } ?? "")
                + url.path.replacingOccurrences(of: "/", with: "-")
        }
        return [BatchInventory.Entry(name: name, input: input, origin: "command line")]
    }

    func run() async throws {
        let logger = Logger(label: "hwautomation.workflow")
        let catalog = try catalogOptions.load().catalog
        let store = try self.store.open()
        let engine = engineOptions.engine(store: store, catalog: catalog, logger: logger)
        guard let definition = await engine.definition(self.definition) else {
            Terminal.printError(
                "error: no workflow \(self.definition); known: \(await engine.definitionNames.joined(separator: ", "))")
            throw ExitCode(1)
        }
        let entries = try await entries(store)
        let batchID = entries.count > 1 ? "batch-" + UUID().uuidString.prefix(8).lowercased() : nil
        var ids: [String] = []
        var names: [String: String] = [:]
        for entry in entries {
            try await storeCall { () throws(StoreError) in
                var record = try await store.server(id: entry.name) ?? ServerRecord(id: entry.name, name: entry.name)
                record.bmcAddress = entry.input["bmc"]
                record.credential = entry.input["credential"]
                record.sshHost = entry.input["ssh_host"]
                try await store.upsertServer(record)
            }
            let created = try await engine.create(
                definition: self.definition, serverID: entry.name, input: entry.input, batch: batchID)
            ids.append(created.id)
            names[created.id] = entry.name
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
        if results.contains(where: { $0.state == "failed" || $0.state == "cancelled" }) { throw ExitCode(1) }
    }
}

/// Runs workflows while showing their events.
enum WorkflowRunner {
    static func run(
        engine: Engine, ids: [String], names: [String: String], stepCount: Int, json: Bool
    ) async throws -> [WorkflowRecord] {
        let events = engine.subscribe()
        return await withTaskGroup(of: [WorkflowRecord]?.self) { group in
            group.addTask {
                var display = ProgressDisplay(json: json, names: names, stepCount: stepCount)
                for await event in events { display.show(event) }
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

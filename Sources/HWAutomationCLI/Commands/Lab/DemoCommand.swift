import ArgumentParser
import Catalog
import Foundation
import Inventory
import Lab
import Logging
import MAAS
import Orchestration
import Remote
import Store
import WorkflowEngine

/// `hwautomation demo`: the whole job on this machine, no hardware.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Commission a lab of simulated servers end to end, with live progress and a summary.",
        discussion: """
            Starts a lab of N simulated BMCs (HPE, Supermicro and Dell behaviours; device types from the catalog, \
            plus a few servers no type describes), stores its login as credential `demo-lab`, and runs \
            intelligent-commissioning over every server at once through the durable workflow engine: discover, \
            classify, plan BIOS, apply it with one reset, verify, record, and commission it in the lab's simulated \
            MAAS, tagged with its type, vendor and confidence. Servers the catalog cannot tell apart, \
            or does not describe, wait for an operator's decision. The store is hwautomation-demo.sqlite in the \
            working directory (its key beside it, mode 0600), so `workflow` and `servers` commands can look at \
            the result afterwards.

            With --maas-first the same lab runs maas-provisioning instead, the original tool's workflow: every \
            machine is picked in the lab's MAAS and commissioned with SSH, the lab's in-band side stands in for MAAS's \
            ephemeral environment at the address MAAS shows, the BMC (MAAS's power address and login) is configured \
            in band, then BIOS, verify, tags in MAAS, record.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Simulated servers (a few more no catalog type describes are added).") var nodes = 24
    @Option(help: "Servers no catalog type describes.") var unknown = 2
    @Option(
        help: ArgumentHelp(
            "Share of BMC answers that fail (0–0.5): 503s, garbage bodies and connection resets, seeded.",
            valueName: "rate"))
    var faults = 0.0
    @Option(help: "Seed for latency and faults.") var seed: UInt64 = 7
    @Option(name: .customLong("post-seconds"), help: "Host POST time after a reset.") var postSeconds = 2.0
    @Option(help: ArgumentHelp("SQLite file for the demo's store.", valueName: "path")) var db =
        "hwautomation-demo.sqlite"
    @Flag(help: "Print the event stream as JSON lines instead of progress.") var json = false
    @Flag(name: .customLong("maas-first"), help: "Run maas-provisioning (MAAS first) instead.") var maasFirst = false

    func validate() throws {
        guard nodes >= 1, unknown >= 0 else {
            throw ValidationError("--nodes must be at least 1, --unknown at least 0")
        }
        guard (0...0.5).contains(faults) else { throw ValidationError("--faults must be between 0 and 0.5") }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let catalog = try catalogOptions.load().catalog
        var labConfig = LabConfig()
        labConfig.nodes = nodes
        labConfig.unknown = unknown
        let servers = try labConfig.servers(catalog: catalog)
        var settings = labConfig.bmcSettings
        settings.postSeconds = postSeconds
        settings.password = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        var logger = Logger(label: "hwautomation.demo")
        logger.logLevel = .critical
        var faultSettings = LabConfig.Faults.none
        if faults > 0 {
            faultSettings.errorRate = faults * 0.6
            faultSettings.garbageRate = faults * 0.2
            faultSettings.resetRate = faults * 0.2
        }
        faultSettings.seed = seed
        let random = { UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() }
        let maasKey = "\(random().prefix(18)):\(random().prefix(18)):\(random())"
        let lab = Lab(
            servers: servers, settings: settings, latency: .milliseconds(5) ... .milliseconds(40),
            faults: faultSettings, maasAPIKey: maasKey, maasOperationSeconds: max(1, postSeconds), logger: logger)

        let keyPath = (db as NSString).deletingPathExtension + ".key"
        let store: any Store
        do {
            store = try SQLiteStore(path: db, box: try SecretBox.keyFile(keyPath))
            // The lab serves plain http on 127.0.0.1: its credentials are bound there, plain http allowed.
            try await store.putCredential(
                name: "demo-lab", user: settings.user, secret: settings.password, kind: "bmc", scope: .loopbackLab)
            try await store.putCredential(
                name: "demo-maas", user: nil, secret: maasKey, kind: "maas", scope: .loopbackLab)
        } catch {
            throw CommandFailure("\(error)")
        }
        var services = CommissioningServices(
            catalog: catalog, store: store, runner: ProcessRunner(logger: logger), hostTimeout: .seconds(300),
            firstPoll: .milliseconds(Int(postSeconds * 1000)), logger: logger)
        // The lab's hosts answer in band where MAAS shows them; nothing else is reachable over "SSH" in the demo.
        let hosts = Dictionary(servers.map { ($0.hostAddress, SimulatedHost(server: $0)) }) { first, _ in first }
        services.shells = { target, _, _ in
            guard let host = hosts[target.host] else {
                throw StepError("no lab host answers at \(target.host) (the demo reaches only its lab's hosts)")
            }
            return host
        }
        let definition = maasFirst ? MAASProvisioning.name : CommissioningWorkflows.intelligent
        let maasFirst = self.maasFirst
        let quiet = logger
        let engine = Engine(
            repository: store, definitions: CommissioningWorkflows.definitions(services),
            limits: Engine.Limits(global: servers.count, perBMC: 1, perVendor: servers.count), logger: logger)
        let json = self.json
        let db = self.db
        let outcome = try await lab.withServer { port in
            if !json {
                let header =
                    "lab: \(servers.count) simulated BMCs on http://127.0.0.1:\(port)/bmc/0…\(servers.count - 1)"
                    + " and a MAAS region at \(Lab.maasURL(port: port).absoluteString)"
                    + (faults > 0 ? ", \(Int(faults * 100))% of answers faulty" : "") + "; store: \(db)\n"
                FileHandle.standardOutput.write(Data(header.utf8))
            }
            var ids: [String] = []
            var names: [String: String] = [:]
            let batch = "demo-" + UUID().uuidString.prefix(8).lowercased()
            let maasURL = Lab.maasURL(port: port).absoluteString
            if maasFirst {
                let client = MAASClient(
                    endpoint: try MAASEndpoint(url: Lab.maasURL(port: port), apiKey: maasKey), logger: quiet)
                let machines = try await client.machines()
                await client.shutdown()
                for machine in machines {
                    let index = servers.firstIndex { $0.serial == machine.serial } ?? ids.count
                    let name = String(format: "demo-node-%02d", index + 1)
                    let run = try await engine.create(
                        definition: definition, serverID: name,
                        input: [
                            "maas_system_id": machine.systemID, "maas_url": maasURL, "maas_credential": "demo-maas",
                        ],
                        batch: batch)
                    ids.append(run.id)
                    names[run.id] = name
                }
            }
            for index in servers.indices where !maasFirst {
                let name = String(format: "demo-node-%02d", index + 1)
                var record = try await store.server(id: name) ?? ServerRecord(id: name, name: name)
                record.bmcAddress = Lab.baseURL(port: port, index: index).absoluteString
                record.credential = "demo-lab"
                record.status = "new"
                try await store.upsertServer(record)
                let run = try await engine.create(
                    definition: CommissioningWorkflows.intelligent, serverID: name,
                    input: [
                        "bmc": record.bmcAddress!, "credential": "demo-lab",
                        "maas_url": Lab.maasURL(port: port).absoluteString, "maas_credential": "demo-maas",
                    ], batch: batch)
                ids.append(run.id)
                names[run.id] = name
            }
            let steps = await engine.definition(definition)?.steps.count ?? 7
            let results = try await WorkflowRunner.run(
                engine: engine, ids: ids, names: names, stepCount: steps, json: json)
            return (results, batch)
        }
        let (results, batch) = outcome
        guard !json else { return }
        print("")
        print(try await WorkflowSummary.table(results, store: store))
        let elapsed = ContinuousClock.now - started
        print(
            String(
                format: "\nfinished in %.1f s.",
                Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        let waiting = results.first { $0.state == .waiting }
        print(
            """

            Where to look next (same store):
              hwautomation servers list --db \(db)
              hwautomation workflow list --db \(db) --batch \(batch)
              hwautomation workflow show ID --db \(db)            # steps, attempts, errors
              hwautomation workflow events ID --db \(db)          # everything that happened, in order
            """)
        if let waiting {
            print(
                "  hwautomation workflow resume \(waiting.id) --device-type TYPE --db \(db)   # decide for a waiting server"
            )
            print("  (the lab is gone once the demo ends: a resume against it fails to reach the BMC)")
        }
    }
}

import Catalog
import Foundation
import Inventory
import Lab
import Logging
import MAAS
import Orchestration
import Remote
import Store
import Synchronization
import Testing
import WorkflowEngine

/// The MAAS-first workflow over the lab: the lab's MAAS picks and commissions, the lab's in-band side stands in for
/// MAAS's ephemeral environment (found at the address MAAS shows), the lab BMCs take the BIOS.
@Suite("MAAS-first provisioning")
struct MAASProvisioningTests {
    @Test("machines picked in MAAS go through SSH commissioning, in-band discovery and BMC, one-reset BIOS, tags")
    func endToEnd() async throws {
        let logger = Logger(label: "maas-first")
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let types = ["s2.c2.small", "a1.c5.large"]
        let servers = try types.enumerated().map { index, name in
            ServerModel(deviceType: try #require(catalog.deviceType(named: name)), index: index + 1)
        }
        let settings = {
            var settings = SimulatedBMC.Settings()
            settings.postSeconds = 0.2
            return settings
        }()
        let key = "c0nsumer:t0ken:s3cret"
        let lab = Lab(servers: servers, settings: settings, maasAPIKey: key, maasOperationSeconds: 0.3)
        let store = InMemoryStore(box: .ephemeral())
        try await store.putCredential(name: "maas", user: nil, secret: key, kind: "maas", scope: .loopbackLab)
        var services = CommissioningServices(
            catalog: catalog, store: store, runner: ProcessRunner(logger: logger), hostTimeout: .seconds(60),
            firstPoll: .milliseconds(200), logger: logger)
        let hosts = Dictionary(uniqueKeysWithValues: servers.map { ($0.hostAddress, SimulatedHost(server: $0)) })
        let reached = Mutex<[String]>([])
        services.shells = { target, _, _ in
            guard let host = hosts[target.host] else { throw StepError("no lab host at \(target.host)") }
            reached.withLock { $0.append("\(target.user)@\(target.host)") }
            return host
        }
        let engine = Engine(
            repository: store, definitions: CommissioningWorkflows.definitions(services), logger: logger)
        try await lab.withServer { port in
            let client = MAASClient(
                endpoint: try MAASEndpoint(url: Lab.maasURL(port: port), apiKey: key), logger: logger)
            let machines = try await client.machines()
            await client.shutdown()
            var ids: [String] = []
            for machine in machines {
                let run = try await engine.create(
                    definition: MAASProvisioning.name, serverID: machine.hostname,
                    input: [
                        "maas_system_id": machine.systemID, "maas_url": Lab.maasURL(port: port).absoluteString,
                        "maas_credential": "maas", "rack": "R\(ids.count + 11)",
                    ])
                ids.append(run.id)
            }
            let results = await engine.run(ids)
            #expect(results.allSatisfy { $0.state == .succeeded }, "\(results.map { $0.reason ?? "" })")
            let maas = try #require(lab.maas)
            for (index, machine) in machines.enumerated() {
                let server = servers[index]
                #expect(maas.withState { $0.commissionForms[machine.systemID]?["enable_ssh"] } == ["1"])
                #expect(maas.withState { $0.status(serial: server.serial, at: .infinity) } == .ready)
                #expect(
                    maas.withState { $0.tags(serial: server.serial) }.contains(
                        "hwa-type-\(types[index].replacingOccurrences(of: ".", with: "-"))"))
                #expect(maas.withState { $0.tags(serial: server.serial) }.contains("hwa-rack-r\(index + 11)"))
                #expect(
                    maas.withState { $0.description(serial: server.serial) }
                        == "HWAutomation: \(types[index]) (high), vendor \(index == 0 ? "supermicro" : "hpe"), "
                        + "BMC 127.0.0.1, rack R\(index + 11)")
                let record = try #require(try await store.server(id: machine.hostname))
                #expect(record.maasSystemID == machine.systemID && record.deviceType == types[index])
                #expect(
                    record.status == "configured" && record.sshHost == "ubuntu@\(server.hostAddress)")
                let credential = try #require(try await store.credential(name: "maas-\(machine.systemID)"))
                #expect(credential.user == settings.user && credential.secret == settings.password)
                // Bound to the power address MAAS named; plain http only because the MAAS key's credential allows it.
                #expect(credential.scope.patterns == ["127.0.0.1"] && credential.scope.allowPlainHTTP)
                #expect(lab.nodes[index].withState { $0.counters.resets } == 1)
                #expect(lab.nodes[index].withState { $0.counters.patches } >= 1)
                let steps = try await store.steps(workflowID: ids[index])
                #expect(
                    steps.map(\.name) == [
                        "maas-commission", "discover", "classify", "configure-bmc", "plan-bios", "apply-bios", "verify",
                        "tag", "record",
                    ])
                let bmc = try #require(steps.first { $0.name == "configure-bmc" }?.output)
                #expect(bmc.contains(index == 0 ? "Super Micro" : "Hewlett Packard"), "in-band mc info: \(bmc)")
                let found = try #require(steps.first { $0.name == "maas-commission" }?.output)
                #expect(found.contains(server.hostAddress) && found.contains("\"credential\":\"maas-"))
                // The BMC password MAAS holds is in the credential store, nowhere in the run's records.
                let events = try await store.events(workflowID: ids[index], after: 0, limit: 10_000)
                let text =
                    steps.compactMap { ($0.output ?? "") + ($0.error ?? "") }.joined()
                    + events.map(\.message).joined()
                    + (try await store.workflow(id: ids[index])?.input ?? "")
                #expect(!text.contains(settings.password))
                #expect(events.contains { $0.message.contains("MAAS: commissioning \(machine.hostname) with SSH") })
                #expect(events.contains { $0.message.contains("MAAS: \(machine.hostname) Ready") })
            }
            #expect(Set(reached.withLock { $0 }) == Set(servers.map { "ubuntu@\($0.hostAddress)" }))
        }
    }

    @Test("a deployed machine is left alone without maas_force, released and recommissioned with it; unknown id: 404")
    func refusals() async throws {
        let logger = Logger(label: "maas-first")
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let server = ServerModel(deviceType: try #require(catalog.deviceType(named: "s2.c2.small")), index: 1)
        let key = "c0nsumer:t0ken:s3cret"
        let lab = Lab(servers: [server], maasAPIKey: key, maasOperationSeconds: 0.2)
        let store = InMemoryStore(box: .ephemeral())
        try await store.putCredential(name: "maas", user: nil, secret: key, kind: "maas", scope: .loopbackLab)
        var services = CommissioningServices(
            catalog: catalog, store: store, runner: ProcessRunner(logger: logger), hostTimeout: .seconds(30),
            firstPoll: .milliseconds(100), logger: logger)
        services.shells = { target, _, _ in
            guard target.host == server.hostAddress else { throw StepError("no lab host at \(target.host)") }
            return SimulatedHost(server: server)
        }
        let engine = Engine(
            repository: store, definitions: CommissioningWorkflows.definitions(services), logger: logger)
        try await lab.withServer { port in
            let client = MAASClient(
                endpoint: try MAASEndpoint(url: Lab.maasURL(port: port), apiKey: key), logger: logger)
            let machine = try #require(try await client.machines().first)
            _ = try await client.commission(machine.systemID)
            _ = try await client.wait(for: machine.systemID, until: [MAASMachine.Status.ready], timeout: .seconds(30))
            _ = try await client.operate(machine.systemID, "deploy", form: [("distro_series", "noble")])
            _ = try await client.wait(
                for: machine.systemID, until: [MAASMachine.Status.deployed], timeout: .seconds(30))
            await client.shutdown()
            let input = [
                "maas_system_id": machine.systemID, "maas_url": Lab.maasURL(port: port).absoluteString,
                "maas_credential": "maas",
            ]
            let run = try await engine.create(definition: MAASProvisioning.name, serverID: "deployed", input: input)
            let result = try #require(await engine.run([run.id]).first)
            #expect(result.state == .failed)
            #expect(result.reason?.contains("Deployed in MAAS; not touched") == true, "\(result.reason ?? "")")
            let maas = try #require(lab.maas)
            #expect(maas.withState { $0.operations["release"] } == nil)
            let forced = try await engine.create(
                definition: MAASProvisioning.name, serverID: "deployed",
                input: input.merging(["maas_force": "true"]) { $1 })
            let done = try #require(await engine.run([forced.id]).first)
            #expect(done.state == .succeeded, "\(done.reason ?? "")")
            #expect(maas.withState { ($0.operations["release"], $0.operations["commission"]) } == (1, 2))
            #expect(maas.withState { $0.commissionForms[machine.systemID]?["enable_ssh"] } == ["1"])
            let missing = try await engine.create(
                definition: MAASProvisioning.name, serverID: "nowhere",
                input: input.merging(["maas_system_id": "nosuch"]) { $1 })
            let failed = try #require(await engine.run([missing.id]).first)
            #expect(failed.state == .failed && failed.reason?.contains("404") == true, "\(failed.reason ?? "")")
        }
    }
}

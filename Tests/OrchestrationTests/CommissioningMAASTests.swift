import Catalog
import Foundation
import Inventory
import Lab
import Logging
import Orchestration
import Remote
import Store
import Testing
import WorkflowEngine

/// The commission step against the lab's MAAS: machines found by MAC or serial, tagged, commissioned to Ready.
@Suite("Commissioning in MAAS")
struct CommissioningMAASTests {
    @Test(
        "every classified server ends Ready in MAAS with its type, vendor and confidence tags; a new type replaces the tag"
    )
    func commissionAndTag() async throws {
        let logger = Logger(label: "maas-workflow")
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let types = ["s2.c2.small", "a1.c5.large"]
        let servers = try types.enumerated().map { index, name in
            ServerModel(deviceType: try #require(catalog.deviceType(named: name)), index: index + 1)
        }
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0.2
        let key = "c0nsumer:t0ken:s3cret"
        let lab = Lab(servers: servers, settings: settings, maasAPIKey: key, maasOperationSeconds: 0.3)
        let store = InMemoryStore(box: .ephemeral())
        try await store.putCredential(
            name: "lab", user: settings.user, secret: settings.password, kind: "bmc", scope: .loopbackLab)
        try await store.putCredential(name: "maas", user: nil, secret: key, kind: "maas", scope: .loopbackLab)
        let services = CommissioningServices(
            catalog: catalog, store: store, runner: ProcessRunner(logger: logger), hostTimeout: .seconds(60),
            firstPoll: .milliseconds(200), logger: logger)
        let engine = Engine(
            repository: store, definitions: CommissioningWorkflows.definitions(services), logger: logger)
        try await lab.withServer { port in
            func input(_ index: Int) -> [String: String] {
                [
                    "bmc": Lab.baseURL(port: port, index: index).absoluteString, "credential": "lab",
                    "maas_url": Lab.maasURL(port: port).absoluteString, "maas_credential": "maas",
                ]
            }
            var ids: [String] = []
            for index in servers.indices {
                ids.append(
                    try await engine.create(
                        definition: CommissioningWorkflows.intelligent, serverID: "n\(index)", input: input(index)
                    ).id)
            }
            let results = await engine.run(ids)
            #expect(results.allSatisfy { $0.state == .succeeded }, "\(results.map { $0.reason ?? "" })")
            let maas = try #require(lab.maas)
            for (index, server) in servers.enumerated() {
                #expect(maas.withState { $0.status(serial: server.serial, at: .infinity) } == .ready)
                #expect(
                    maas.withState { $0.tags(serial: server.serial) } == [
                        "hwa-type-\(types[index].replacingOccurrences(of: ".", with: "-"))",
                        "hwa-vendor-\(index == 0 ? "supermicro" : "hpe")", "hwa-confidence-high",
                    ])
                #expect(try await store.server(id: "n\(index)")?.status == "commissioned")
            }
            // An operator re-provisions n0 as another type: its old type tag goes, the new one comes; a Ready
            // machine is not commissioned again.
            let again = try await engine.create(
                definition: CommissioningWorkflows.deviceSpecific, serverID: "n0",
                input: input(0).merging(["device_type": "s2.c2.medium", "force": "true"]) { $1 })
            #expect(await engine.run([again.id]).first?.state == .succeeded)
            #expect(
                maas.withState { $0.tags(serial: servers[0].serial) } == [
                    "hwa-type-s2-c2-medium", "hwa-vendor-supermicro", "hwa-confidence-operator",
                ])
            let output = try #require(try await store.steps(workflowID: again.id).last?.output)
            #expect(output.contains("\"commissioned\":false"))
        }
    }
}

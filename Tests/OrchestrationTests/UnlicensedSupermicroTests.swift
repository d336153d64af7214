import Catalog
import Foundation
import Lab
import Logging
import Orchestration
import Remote
import Store
import Testing
import WorkflowEngine

/// A Supermicro BMC without its out-of-band licence, and no host to run SUM on in band: the workflow's BIOS apply
/// fails naming the licence and what it would have set, and the BMC is left as it was (no setting pending, no reset).
@Suite("Commissioning a Supermicro BMC without its out-of-band licence")
struct UnlicensedSupermicroTests {
    @Test("apply-bios fails naming the licence; nothing pending, no reset; the run says why")
    func refusedNamingTheLicence() async throws {
        let logger = Logger(label: "unlicensed-supermicro")
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0
        settings.supermicroLicensed = false
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], settings: settings)
        let store = InMemoryStore(box: .ephemeral())
        try await store.putCredential(
            name: "lab", user: settings.user, secret: settings.password, kind: "bmc", scope: .loopbackLab)
        let services = CommissioningServices(
            catalog: catalog, store: store, runner: ProcessRunner(logger: logger), hostTimeout: .seconds(60),
            firstPoll: .milliseconds(50), logger: logger)
        let engine = Engine(
            repository: store, definitions: CommissioningWorkflows.definitions(services), logger: logger)
        try await lab.withServer { port in
            let run = try await engine.create(
                definition: CommissioningWorkflows.deviceSpecific, serverID: "n0",
                input: [
                    "bmc": Lab.baseURL(port: port, index: 0).absoluteString, "credential": "lab",
                    "device_type": type.name,
                ])
            let result = try #require(await engine.run([run.id]).first)
            #expect(result.state == .failed, "\(result.state): \(result.reason ?? "")")
            let step = try #require(try await store.steps(workflowID: run.id).first { $0.name == "apply-bios" })
            #expect(step.state == .failed)
            let error = step.error ?? ""
            #expect(error.contains("SFT-OOB-LIC") && error.contains("nothing was changed"), "\(error)")
            #expect(error.contains("Install the licence, or give the run host access (SSH)"), "\(error)")
            let counters = lab.nodes[0].withState { $0.counters }
            #expect(counters.patches == 0 && counters.resets == 0, "\(counters)")
            #expect(lab.nodes[0].withState { $0.pendingAttributes.isEmpty })
        }
    }
}

import Foundation
import Lab
import Store
import Testing
import WorkflowEngine

/// The set-up the workflow tests over the lab share: a lab of `servers` (0.1 s POST), an in-memory store holding the
/// lab's login as credential `lab`, and a way to run one workflow per lab server.
struct LabFleet {
    /// The simulated BMCs.
    let lab: Lab
    /// The store the runs write to.
    let store: InMemoryStore

    /// A lab of `servers`; `taskPolls`, when given, is how many polls a BMC task takes to finish.
    init(_ servers: [ServerModel], taskPolls: Int? = nil) async throws {
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0.1
        if let taskPolls { settings.taskPolls = taskPolls }
        lab = Lab(servers: servers, settings: settings)
        store = InMemoryStore(box: .ephemeral())
        try await store.putCredential(
            name: "lab", user: settings.user, secret: settings.password, kind: "bmc", scope: .loopbackLab)
    }

    /// Creates one run of `definition` per lab server (servers `n0`, `n1`, … on the lab listening on `port`), runs
    /// them on `engine` and returns their ids, in the lab's order, after expecting every one to succeed.
    func runEach(_ definition: String, on engine: Engine, port: Int) async throws -> [String] {
        var ids: [String] = []
        for index in lab.nodes.indices {
            ids.append(
                try await engine.create(
                    definition: definition, serverID: "n\(index)",
                    input: ["bmc": Lab.baseURL(port: port, index: index).absoluteString, "credential": "lab"]
                ).id)
        }
        let results = await engine.run(ids)
        #expect(results.allSatisfy { $0.state == .succeeded }, "\(results.map { $0.reason ?? "" })")
        return ids
    }
}

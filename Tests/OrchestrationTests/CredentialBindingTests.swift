import Catalog
import Foundation
import Inventory
import Lab
import Logging
import MAAS
import Orchestration
import Remote
import Store
import Testing
import WorkflowEngine

/// Credentials bound to where they may go: refused before a byte is sent when the BMC or the MAAS region is not
/// one of their addresses, or the connection would be plain http and the credential does not allow it.
@Suite("Credential bindings in workflows")
struct CredentialBindingTests {
    static let logger = Logger(label: "credential-bindings")

    static func lab(nodes: Int) throws -> (Lab, SimulatedBMC.Settings, String) {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0.2
        let key = "c0nsumer:t0ken:s3cret"
        let lab = Lab(
            servers: (1...nodes).map { ServerModel(deviceType: type, index: $0) }, settings: settings,
            maasAPIKey: key, maasOperationSeconds: 0.2)
        return (lab, settings, key)
    }

    static func engine(_ store: any Store) throws -> Engine {
        let services = CommissioningServices(
            catalog: try CatalogLoader.load(directory: nil).catalog, store: store,
            runner: ProcessRunner(logger: logger), hostTimeout: .seconds(30), firstPoll: .milliseconds(100),
            logger: logger)
        return Engine(repository: store, definitions: CommissioningWorkflows.definitions(services), logger: logger)
    }

    @Test("a BMC credential bound elsewhere, or refusing plain http, fails naming both; the BMC saw no request")
    func bmcRefused() async throws {
        let (lab, settings, _) = try Self.lab(nodes: 3)
        let store = InMemoryStore(box: .ephemeral())
        try await store.putCredential(
            name: "rack1", user: settings.user, secret: settings.password, kind: "bmc",
            scope: try CredentialScope(parsing: ["10.1.0.0/16", "bmc-*.rack1.example"], allowPlainHTTP: true))
        try await store.putCredential(
            name: "https-only", user: settings.user, secret: settings.password, kind: "bmc",
            scope: try CredentialScope(parsing: ["127.0.0.1"]))
        // Unbound (as every credential stored before bindings was): any address, but never plain http.
        try await store.putCredential(name: "legacy", user: settings.user, secret: settings.password, kind: "bmc")
        let engine = try Self.engine(store)
        try await lab.withServer { port in
            var ids: [String] = []
            for (index, credential) in ["rack1", "https-only", "legacy"].enumerated() {
                let run = try await engine.create(
                    definition: CommissioningWorkflows.intelligent, serverID: "n\(index)",
                    input: ["bmc": Lab.baseURL(port: port, index: index).absoluteString, "credential": credential])
                ids.append(run.id)
            }
            let results = await engine.run(ids)
            #expect(results.allSatisfy { $0.state == .failed })
            let reasons = results.map { $0.reason ?? "" }
            #expect(reasons[0].contains("credential rack1 is not for 127.0.0.1"), "\(reasons[0])")
            #expect(reasons[0].contains("10.1.0.0/16, bmc-*.rack1.example"))
            #expect(
                reasons[1].contains("credential https-only would be sent over plain http to http://127.0.0.1:\(port)"))
            #expect(reasons[2].contains("credential legacy would be sent over plain http"))
            for (index, step) in try await ids.asyncMap({ try await store.steps(workflowID: $0) }).enumerated() {
                // Refused on the first attempt: a binding is not something retrying fixes.
                #expect(step.first?.attempt == 1, "run \(index) attempts \(step.first?.attempt ?? 0)")
            }
            for node in lab.nodes {
                #expect(node.withState { $0.counters.requests } == 0, "nothing was sent to any BMC")
            }
            #expect(!reasons.joined().contains(settings.password))
        }
    }

    @Test("the MAAS key's bindings are checked against maas_url before MAAS is asked anything")
    func maasRefused() async throws {
        let (lab, _, key) = try Self.lab(nodes: 1)
        let store = InMemoryStore(box: .ephemeral())
        try await store.putCredential(
            name: "maas-elsewhere", user: nil, secret: key, kind: "maas",
            scope: try CredentialScope(parsing: ["maas.example.org"], allowPlainHTTP: true))
        try await store.putCredential(
            name: "maas-https", user: nil, secret: key, kind: "maas", scope: try CredentialScope(parsing: ["127.0.0.1"])
        )
        let engine = try Self.engine(store)
        try await lab.withServer { port in
            let url = Lab.maasURL(port: port).absoluteString
            var ids: [String] = []
            for credential in ["maas-elsewhere", "maas-https"] {
                let run = try await engine.create(
                    definition: MAASProvisioning.name, serverID: credential,
                    input: ["maas_system_id": "abc123", "maas_url": url, "maas_credential": credential])
                ids.append(run.id)
            }
            let results = await engine.run(ids)
            let reasons = results.map { $0.reason ?? "" }
            #expect(results.allSatisfy { $0.state == .failed })
            #expect(
                reasons[0].contains("credential maas-elsewhere is not for 127.0.0.1: it is bound to maas.example.org"))
            #expect(reasons[1].contains("credential maas-https would be sent over plain http"))
            #expect(try #require(lab.maas).received.isEmpty, "MAAS received no request")
        }
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}

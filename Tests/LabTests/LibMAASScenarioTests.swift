import Catalog
import Foundation
import Inventory
import Logging
import Remote
import TestSupport
import Testing

@testable import Lab

/// The official MAAS client, python-libmaas, against the lab's simulated MAAS region: the Python scenario
/// (Tests/Scenarios/libmaas_scenario.py) connects with an API key, reads every machine field, creates and applies a
/// tag, commissions, allocates, deploys, powers off and on (checking the BMC over Redfish both ways) and releases.
@Suite("python-libmaas against the simulated MAAS")
struct LibMAASScenarioTests {
    static let scenario = Peer.repositoryRoot.appendingPathComponent("Tests/Scenarios/libmaas_scenario.py")

    @Test("the libmaas scenario passes: every call answers what MAAS's docs say", .enabled(if: Peer.libmaas.enabled))
    func scenario() async throws {
        let python = try Peer.value(Peer.libmaas.rawValue)
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let servers = ["s2.c2.small", "a1.c5.large", "s2.c2.small", "a1.c5.large"].enumerated().map {
            ServerModel(deviceType: catalog.deviceType(named: $1)!, index: $0 + 1)
        }
        let random = { UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() }
        var settings = SimulatedBMC.Settings()
        settings.password = String(random().prefix(16))
        let key = "\(random().prefix(18)):\(random().prefix(18)):\(random())"
        let lab = Lab(servers: servers, settings: settings, maasAPIKey: key, maasOperationSeconds: 2)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("libmaas-\(random())")
        try SecretFile.makeDirectory(directory.path, exclusive: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The lab's credentials file, as `lab serve --maas` writes it: the scenario reads the key from it.
        let credentials = directory.appendingPathComponent("lab-credentials").path
        try SecretFile.write(
            Data("user=\(settings.user)\npassword=\(settings.password)\nmaas_api_key=\(key)\n".utf8), to: credentials)
        try await lab.withServer { port in
            let output = try await ProcessRunner(logger: Logger(label: "libmaas-scenario")).run(
                Command(
                    python, ["-u", Self.scenario.path],
                    environment: [
                        "HWA_MAAS_URL": "http://127.0.0.1:\(port)/MAAS/", "HWA_LAB_URL": "http://127.0.0.1:\(port)",
                        "HWA_LAB_CREDENTIALS": credentials, "HWA_LAB_NODES": "\(servers.count)",
                    ],
                    timeout: .seconds(600), workingDirectory: directory.path))
            #expect(
                output.succeeded,
                "\(output.termination)\n\(output.standardError.suffix(6000))\n\(output.standardOutput.suffix(3000))")
            #expect(output.standardOutput.contains("libmaas scenario passed"))
            // What libmaas sent: describe/ anonymous, forms multipart, every other call signed.
            let received = try #require(lab.maas?.received)
            let describe = try #require(received.first)
            #expect(describe.target == "/MAAS/api/2.0/describe/" && describe.authorization == nil)
            let posts = received.filter { $0.method == "POST" }
            #expect(!posts.isEmpty && posts.allSatisfy { $0.contentType?.hasPrefix("multipart/form-data") == true })
            #expect(received.dropFirst().allSatisfy { $0.authorization?.hasPrefix("OAuth ") == true })
            // The machine it drove ends Ready, untagged, and its BMC off (released).
            let serial = servers[0].serial
            let now = lab.clock.now()
            #expect(lab.maas?.withState { $0.status(serial: serial, at: now) } == .ready)
            #expect(lab.maas?.withState { $0.tags(serial: serial) } == [])
            #expect(lab.nodes[0].withState { $0.powerState(at: now) } == "Off")
        }
    }
}

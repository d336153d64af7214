import Catalog
import Foundation
import Inventory
import Logging
import Redfish
import Remote
import Testing

@testable import Lab

@Suite("Simulated MAAS")
struct SimulatedMAASTests {
    static let servers: [ServerModel] = {
        let catalog = try! CatalogLoader.load(directory: nil).catalog
        return ["s2.c2.small", "a1.c5.large"].enumerated().map {
            ServerModel(deviceType: catalog.deviceType(named: $1)!, index: $0 + 1)
        }
    }()
    static let key = "consumer:token:secret"
    static let header =
        #"OAuth oauth_version="1.0", oauth_signature_method="PLAINTEXT", oauth_consumer_key="consumer", oauth_token="token", oauth_signature="%26secret", oauth_nonce="n", oauth_timestamp="1""#

    func call(
        _ maas: inout SimulatedMAAS, _ method: String, _ path: String, query: [String: [String]] = [:],
        form: [String: [String]] = [:], now: Double = 0, auth: String? = Self.header
    ) -> LabResponse {
        maas.handle(method: method, path: path, query: query, form: form, authorization: auth, now: now)
    }

    @Test("commissioning moves New → Commissioning → Ready over lab time; status and status_name agree")
    func commissioning() throws {
        var maas = SimulatedMAAS(
            servers: Self.servers, apiKey: Self.key, operationSeconds: 10, bmcURL: { "/bmc/\($0)" })
        let list = call(&maas, "GET", "machines/")
        let machine = try #require(list.body?.array.first)
        let id = try #require(machine["system_id"].string)
        #expect(machine["status"].int == 0 && machine["status_name"].string == "New")
        let started = call(
            &maas, "POST", "machines/\(id)/", form: ["op": ["commission"], "enable_ssh": ["1"]], now: 100)
        #expect(started.body?["status_name"].string == "Commissioning")
        #expect(call(&maas, "GET", "machines/\(id)/", now: 105).body?["status"].int == 1)
        #expect(call(&maas, "GET", "machines/\(id)/", now: 110).body?["status_name"].string == "Ready")
        #expect(call(&maas, "POST", "machines/\(id)/", form: ["op": ["abort"]], now: 111).status == 409)
        let deployed = call(
            &maas, "POST", "machines/\(id)/", form: ["op": ["deploy"], "distro_series": ["noble"]], now: 120)
        #expect(deployed.body?["status_name"].string == "Deploying")
        #expect(
            call(&maas, "GET", "machines/\(id)/", query: ["op": ["query_power_state"]], now: 121).body?["state"].string
                == "on")
        #expect(call(&maas, "GET", "machines/\(id)/", now: 130).body?["distro_series"].string == "noble")
    }

    @Test("tags: create, update_nodes add/remove; filters by MAC; a wrong key is 401")
    func tagsAndAuth() throws {
        var maas = SimulatedMAAS(servers: Self.servers, apiKey: Self.key, bmcURL: { "/bmc/\($0)" })
        let mac = Self.servers[1].ports[0].mac
        let found = call(&maas, "GET", "machines/", query: ["mac_address": [mac.uppercased()]])
        let id = try #require(found.body?.array.first?["system_id"].string)
        #expect(found.body?.array.count == 1)
        #expect(
            call(&maas, "POST", "tags/", form: ["name": ["hwa-type-a1.c5.large"], "comment": ["HWAutomation"]]).status
                == 200)
        #expect(call(&maas, "POST", "tags/", form: ["name": ["hwa-type-a1.c5.large"]]).status == 400)
        let added = call(
            &maas, "POST", "tags/hwa-type-a1.c5.large/", query: ["op": ["update_nodes"]], form: ["add": [id]])
        #expect(added.body?["added"].int == 1)
        #expect(maas.tags(serial: Self.servers[1].serial) == ["hwa-type-a1.c5.large"])
        _ = call(&maas, "POST", "tags/hwa-type-a1.c5.large/", query: ["op": ["update_nodes"]], form: ["remove": [id]])
        #expect(maas.tags(serial: Self.servers[1].serial).isEmpty)
        #expect(
            call(&maas, "GET", "machines/", auth: Self.header.replacingOccurrences(of: "%26secret", with: "%26wrong"))
                .status == 401)
        #expect(call(&maas, "GET", "machines/", auth: nil).status == 401)
    }

    @Test("over HTTP: version/ and a form POST through the lab's listener")
    func http() async throws {
        let lab = Lab(servers: Self.servers, maasAPIKey: Self.key, maasOperationSeconds: 0)
        try await lab.withServer { port in
            let runner = ProcessRunner(logger: Logger(label: "maas-test"))
            let base = Lab.maasURL(port: port).absoluteString
            // The OAuth header goes through curl's config on stdin, like a secret would.
            let config = "header = \"Authorization: \(Self.header.replacingOccurrences(of: "\"", with: "\\\""))\"\n"
            let version = try await runner.check(
                Command("curl", ["-sS", "--fail", "-K", "-", base + "version/"], input: config))
            #expect(try JSONValue.parse(version.standardOutput)["version"].string == "3.4.0")
            let id =
                lab.maas!.withState { maas in
                    maas.handle(
                        method: "GET", path: "machines/", query: [:], form: [:], authorization: Self.header, now: 0)
                }.body?.array.first?["system_id"].string ?? ""
            let commission = try await runner.check(
                Command(
                    "curl", ["-sS", "--fail", "-K", "-", "-d", "op=commission", base + "machines/\(id)/"], input: config
                ))
            #expect(try JSONValue.parse(commission.standardOutput)["status_name"].string == "Commissioning")
            let now = lab.clock.now()
            #expect(lab.maas!.withState { $0.status(serial: Self.servers[0].serial, at: now) } == .ready)
        }
    }
}

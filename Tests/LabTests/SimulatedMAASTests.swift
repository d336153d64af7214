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

    @Test("describe/ and version/ answer without a key; describe/ has MAAS's resource and handler shapes")
    func describe() throws {
        var maas = SimulatedMAAS(servers: Self.servers, apiKey: Self.key, bmcURL: { "/bmc/\($0)" })
        let answer = maas.handle(
            method: "GET", path: "describe/", query: [:], form: [:], authorization: nil, now: 0, host: "lab:5240")
        #expect(answer.status == 200 && answer.body?["doc"].string == "MAAS API")
        let resources = answer.body?["resources"].array ?? []
        let names = resources.compactMap { $0["name"].string }
        #expect(names == names.sorted())
        for name in [
            "MachineHandler", "MachinesHandler", "TagHandler", "TagsHandler", "UsersHandler", "ZonesHandler",
            "ResourcePoolsHandler", "DomainsHandler", "InterfacesHandler", "VersionHandler",
        ] {
            #expect(names.contains(name), "\(name)")
        }
        let machine = try #require(resources.first { $0["name"].string == "MachineHandler" })
        #expect(machine["anon"] == .null)
        let handler = machine["auth"]
        #expect(handler["params"].array == [.string("system_id")])
        #expect(handler["path"].string == "/MAAS/api/2.0/machines/{system_id}/")
        #expect(handler["uri"].string == "http://lab:5240/MAAS/api/2.0/machines/{system_id}/")
        let actions = handler["actions"].array
        let commission = try #require(actions.first { $0["name"].string == "commission" })
        #expect(commission["method"].string == "POST" && commission["op"].string == "commission")
        #expect(commission["restful"].bool == false)
        let read = try #require(actions.first { $0["name"].string == "read" })
        #expect(read["method"].string == "GET" && read["op"] == .null && read["restful"].bool == true)
        let version = try #require(resources.first { $0["name"].string == "VersionHandler" })
        #expect(version["auth"] == .null && version["anon"]["path"].string == "/MAAS/api/2.0/version/")
        #expect(answer.body?["handlers"].array.count == resources.count)
        #expect(call(&maas, "GET", "version/", auth: nil).body?["version"].string == "3.4.0")
        #expect(call(&maas, "GET", "users/", query: ["op": ["whoami"]], auth: nil).status == 401)
    }

    @Test("machine fields: architecture, CPUs, memory, storage, fqdn, domain, zone, pool, owner, interfaces")
    func machineFields() throws {
        var maas = SimulatedMAAS(servers: Self.servers, apiKey: Self.key, bmcURL: { "/bmc/\($0)" })
        let list = call(&maas, "GET", "machines/").body?.array ?? []
        #expect(list.count == Self.servers.count)
        for (machine, server) in zip(list, Self.servers) {
            let hostname = try #require(machine["hostname"].string)
            #expect(machine["fqdn"].string == hostname + ".maas")
            #expect(machine["architecture"].string == "amd64/generic")
            #expect(machine["cpu_count"].int == server.sockets * server.coresPerSocket * server.threadsPerCore)
            #expect(machine["memory"].int == server.memoryGiB * 1024)
            #expect((machine["storage"].double ?? 0) > 0)
            #expect(machine["domain"]["name"].string == "maas" && machine["domain"]["id"].int == 0)
            #expect(machine["zone"]["name"].string == "default" && machine["zone"]["id"].int == 1)
            #expect(machine["pool"]["name"].string == "default" && machine["pool"]["id"].int == 0)
            #expect(machine["owner"] == .null && machine["power_type"].string == "redfish")
            #expect(machine["status_name"].string == "New" && machine["power_state"].string == "off")
            let interfaces = machine["interface_set"].array
            #expect(interfaces.count == server.ports.count)
            #expect(interfaces.compactMap { $0["mac_address"].string } == server.ports.map { $0.mac.lowercased() })
            #expect(interfaces.allSatisfy { $0["type"].string == "physical" && $0["id"].int != nil })
            #expect(machine["boot_interface"] == interfaces[0])
            let id = try #require(machine["system_id"].string)
            #expect(call(&maas, "GET", "nodes/\(id)/interfaces/").body?.array == interfaces)
            let nic = try #require(interfaces[0]["id"].int)
            #expect(call(&maas, "GET", "nodes/\(id)/interfaces/\(nic)/").body == interfaces[0])
        }
        #expect(call(&maas, "GET", "users/", query: ["op": ["whoami"]]).body?["username"].string == "admin")
        #expect(call(&maas, "GET", "zones/default/").body?["id"].int == 1)
        #expect(call(&maas, "GET", "resourcepool/0/").body?["description"].string == "Default pool")
        #expect(call(&maas, "GET", "domains/").body?.array.first?["name"].string == "maas")
        #expect(call(&maas, "GET", "zones/elsewhere/").status == 404)
    }

    @Test("state machine: allocate, deploy, abort, release, power on needs an owner, MAAS's 409 messages")
    func stateMachine() throws {
        var maas = SimulatedMAAS(
            servers: Self.servers, apiKey: Self.key, operationSeconds: 10, bmcURL: { "/bmc/\($0)" })
        let id = try #require(call(&maas, "GET", "machines/").body?.array.first?["system_id"].string)
        let path = "machines/\(id)/"
        func op(_ name: String, now: Double, _ form: [String: [String]] = [:]) -> LabResponse {
            call(&maas, "POST", path, query: ["op": [name]], form: form, now: now)
        }
        #expect(op("release", now: 0).body == nil)
        #expect(op("release", now: 0).rawBody == "Machine cannot be released in its current state ('New').")
        #expect(op("deploy", now: 0).rawBody == "Can't deploy a machine that is in the 'New' state")
        #expect(op("mark_fixed", now: 0).rawBody == "Can't mark a non-broken node as 'Ready'.")
        #expect(call(&maas, "POST", "machines/", query: ["op": ["allocate"]]).rawBody == "No machine available.")
        let started = op("commission", now: 0, ["enable_ssh": ["true"]])
        #expect(started.body?["owner"].string == "admin" && started.body?["power_state"].string == "on")
        #expect(op("abort", now: 5).body?["status_name"].string == "New")
        #expect(op("commission", now: 6).body?["status_message"].string == "From 'New' to 'Commissioning'")
        let ready = call(&maas, "GET", path, now: 16)
        #expect(ready.body?["status_name"].string == "Ready" && ready.body?["owner"] == JSONValue.null)
        #expect(ready.body?["power_state"].string == "off")  // no enable_ssh: powered off at the end
        #expect(op("power_on", now: 16).rawBody == "Can't start node: it hasn't been allocated.")
        #expect(op("release", now: 16).body?["status_name"].string == "Ready")  // nothing to do
        let allocated = call(
            &maas, "POST", "machines/", query: ["op": ["allocate"]], form: ["system_id": [id]], now: 17)
        #expect(allocated.body?["status_name"].string == "Allocated" && allocated.body?["owner"].string == "admin")
        #expect(
            call(&maas, "POST", "machines/", query: ["op": ["allocate"]], form: ["system_id": [id]], now: 17).rawBody
                == "No machine with system ID \(id) available.")
        #expect(op("deploy", now: 18).body?["status_name"].string == "Deploying")
        #expect(op("abort", now: 19).body?["status_name"].string == "Allocated")
        #expect(op("deploy", now: 20).body?["power_state"].string == "on")
        #expect(call(&maas, "GET", path, now: 30).body?["status_name"].string == "Deployed")
        #expect(op("power_off", now: 31).body?["power_state"].string == "off")
        #expect(op("power_on", now: 32).body?["power_state"].string == "on")
        #expect(op("abort", now: 33).rawBody == "Cannot abort in current state: node \(id) is in state Deployed.")
        #expect(op("commission", now: 33).rawBody == "Invalid transition: Deployed -> Commissioning.")
        let releasing = op("release", now: 34)
        #expect(releasing.body?["status_name"].string == "Releasing" && releasing.body?["owner"] == .null)
        #expect(call(&maas, "GET", path, now: 44).body?["status_name"].string == "Ready")
        #expect(call(&maas, "POST", path, query: ["op": ["rescue_mode"]], now: 45).status == 400)
    }

    @Test("over HTTP: python-libmaas's multipart form (base64 parts, quoted boundary), empty forms, MAAS content types")
    func multipart() async throws {
        let lab = Lab(servers: Self.servers, maasAPIKey: Self.key, maasOperationSeconds: 0)
        try await lab.withServer { port in
            let runner = ProcessRunner(logger: Logger(label: "maas-test"))
            let base = Lab.maasURL(port: port).absoluteString
            let boundary = "===============1599586040979167672=="
            func part(_ name: String, _ value: String) -> String {
                "--\(boundary)\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: form-data; "
                    + "name=\"\(name)\"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n\r\n"
                    + Data(value.utf8).base64EncodedString() + "\r\n\r\n"
            }
            let comment = "rack 1/row 2 \u{2014} café"
            let body = part("name", "hwa-multipart") + part("comment", comment) + "--\(boundary)--"
            let header = Self.header.replacingOccurrences(of: "\"", with: "\\\"")
            func config(_ url: String, _ contentType: String) -> String {
                "header = \"Authorization: \(header)\"\nheader = \"Content-Type: multipart/form-data; "
                    + "boundary=\\\"\(boundary)\\\"\"\nurl = \"\(url)\"\n"
            }
            let configFile = FileManager.default.temporaryDirectory.appendingPathComponent("maas-curl-\(port)")
            defer { try? FileManager.default.removeItem(at: configFile) }
            try config(base + "tags/", "").write(to: configFile, atomically: true, encoding: .utf8)
            let created = try await runner.check(
                Command("curl", ["-sS", "--fail", "-K", configFile.path, "--data-binary", "@-"], input: body))
            let tag = try JSONValue.parse(created.standardOutput)
            #expect(tag["name"].string == "hwa-multipart" && tag["comment"].string == comment)
            // An empty form (libmaas's POST without parameters) is a form, not a malformed body.
            let id = try #require(lab.maas?.withState { $0.systemID(serial: Self.servers[0].serial) })
            try config(base + "machines/\(id)/?op=abort", "").write(to: configFile, atomically: true, encoding: .utf8)
            let abort = try await runner.run(
                Command(
                    "curl", ["-sS", "-i", "-K", configFile.path, "--data-binary", "@-"],
                    input: "--\(boundary)\r\n\r\n--\(boundary)--"))
            #expect(abort.standardOutput.contains("409"), "\(abort.standardOutput)")
            #expect(abort.standardOutput.lowercased().contains("content-type: text/plain; charset=utf-8"))
            #expect(abort.standardOutput.contains("Cannot abort in current state: node \(id) is in state New."))
        }
    }
}

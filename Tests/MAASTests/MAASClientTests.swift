import Catalog
import Foundation
import Inventory
import Lab
import Logging
import MAAS
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The MAAS client against the lab's simulated MAAS region (and a region that never answers).
@Suite("MAAS client")
struct MAASClientTests {
    static let key = "ConsumerKey1:TokenKey22:TokenSecret333"

    static func lab(nodes: Int = 2) throws -> Lab {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        return Lab(
            servers: (0..<nodes).map { ServerModel(deviceType: type, index: $0 + 1) }, maasAPIKey: key,
            maasOperationSeconds: 0.3)
    }

    static func client(port: Int, key: String = key, timeout: Duration = .seconds(60)) throws -> MAASClient {
        MAASClient(
            endpoint: try MAASEndpoint(
                url: URL(string: "http://127.0.0.1:\(port)/MAAS")!, apiKey: key, timeout: timeout),
            logger: Logger(label: "maas-test"))
    }

    @Test("list, commission and wait for Ready, tags created and applied, release")
    func lifecycle() async throws {
        let lab = try Self.lab()
        try await lab.withServer { port in
            let client = try Self.client(port: port)
            let machines = try await client.machines()
            #expect(machines.count == 2)
            let first = try #require(machines.first)
            #expect(first.statusName == "New" && first.status == MAASMachine.Status.new)
            #expect(first.serial != nil && !first.macAddresses.isEmpty)
            let byMAC = try await client.machines(filters: [("mac_address", first.macAddresses[0])])
            #expect(byMAC.map(\.systemID) == [first.systemID])
            let started = try await client.commission(first.systemID)
            #expect(started.statusName == "Commissioning")
            let history = StatusLog()
            let ready = try await client.wait(
                for: first.systemID, until: [MAASMachine.Status.ready],
                failOn: [MAASMachine.Status.failedCommissioning], timeout: .seconds(120)
            ) { await history.add($0.statusName) }
            #expect(ready.statusName == "Ready")
            // Every status the wait saw, in order, ending Ready (how many polls saw Commissioning is up to timing).
            let seen = await history.names
            #expect(seen.last == "Ready" && Set(seen).isSubset(of: ["Commissioning", "Ready"]), "\(seen)")
            try await client.ensureTag("hwa-type-s2-c2-small", comment: "set by a test")
            try await client.ensureTag("hwa-type-s2-c2-small")  // exists: nothing to do
            try await client.updateTagNodes("hwa-type-s2-c2-small", add: [first.systemID])
            #expect(try await client.machine(first.systemID).tagNames == ["hwa-type-s2-c2-small"])
            #expect(try await client.tags() == ["hwa-type-s2-c2-small"])
            _ = try await client.operate(first.systemID, "deploy", form: [("distro_series", "jammy")])
            _ = try await client.wait(for: first.systemID, until: [MAASMachine.Status.deployed], timeout: .seconds(120))
            _ = try await client.operate(first.systemID, "release")
            #expect(
                try await client.wait(for: first.systemID, until: [MAASMachine.Status.ready], timeout: .seconds(120))
                    .statusName == "Ready")
            // A conflicting operation is MAAS's own words.
            await #expect {
                _ = try await client.operate(first.systemID, "abort")
            } throws: { error in
                (error as? MAASError)?.status == 409
                    && "\(error)".contains("Cannot abort in current state: node \(first.systemID) is in state Ready.")
            }
            await client.shutdown()
        }
    }

    @Test("machines carry MAAS 3.x's fields: architecture, CPUs, memory, storage, fqdn, zone, pool, domain, owner")
    func machineFields() async throws {
        let lab = try Self.lab(nodes: 2)
        try await lab.withServer { port in
            let client = try Self.client(port: port)
            let machines = try await client.machines()
            for (index, machine) in machines.enumerated() {
                let server = lab.nodes[index].withState { $0.server }
                #expect(machine.fqdn == machine.hostname + ".maas" && machine.domain == "maas")
                #expect(machine.architecture == "amd64/generic")
                #expect(machine.cpuCount == server.sockets * server.coresPerSocket * server.threadsPerCore)
                #expect(machine.memoryMiB == server.memoryGiB * 1024)
                #expect((machine.storageMB ?? 0) > 0)
                #expect(machine.zone == "default" && machine.pool == "default" && machine.owner == nil)
                #expect(machine.powerType == "redfish" && machine.serial == server.serial)
                #expect(machine.bootMACAddress == machine.macAddresses.first)
                #expect(machine.macAddresses == server.ports.map { $0.mac.lowercased() })
            }
            // Our own encoding reads back the same.
            let first = try #require(machines.first)
            #expect(try JSONDecoder().decode(MAASMachine.self, from: JSONEncoder().encode(first)) == first)
            await client.shutdown()
        }
    }

    @Test("allocate by tag, deploy, power off/on through MAAS act on the BMC; a BMC power change shows in MAAS")
    func powerAndAllocation() async throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0  // a powered-on host is On at once: no waiting on lab time for POST
        let lab = Lab(
            servers: (0..<2).map { ServerModel(deviceType: type, index: $0 + 1) }, settings: settings,
            maasAPIKey: Self.key, maasOperationSeconds: 0.3)
        let login = Data("\(settings.user):\(settings.password)".utf8).base64EncodedString()
        let bmcPower: @Sendable (Int) -> String = { index in
            lab.nodes[index].withState { $0.powerState(at: lab.clock.now()) }
        }
        try await lab.withServer { port in
            let client = try Self.client(port: port)
            let machines = try await client.machines()
            let target = try #require(machines.last)
            let index = try #require(machines.firstIndex(of: target))
            // Commissioning without SSH ends Ready and powered off, on the BMC too.
            _ = try await client.commission(target.systemID)
            let ready = try await client.wait(
                for: target.systemID, until: [MAASMachine.Status.ready], timeout: .seconds(120))
            #expect(ready.powerState == "off" && bmcPower(index) == "Off" && ready.owner == nil)
            #expect(ready.statusMessage == "From 'Commissioning' to 'Ready'")
            // Power on needs an owner (MAAS: "Can't start node: it hasn't been allocated.").
            await #expect {
                _ = try await client.operate(target.systemID, "power_on")
            } throws: { error in
                (error as? MAASError)?.status == 409 && "\(error)".contains("it hasn't been allocated")
            }
            try await client.ensureTag("hwa-pick")
            try await client.updateTagNodes("hwa-pick", add: [target.systemID])
            let allocated = try await client.allocate([("tags", "hwa-pick")])
            #expect(allocated.systemID == target.systemID && allocated.owner == "admin")
            #expect(allocated.status == MAASMachine.Status.allocated)
            await #expect {
                _ = try await client.allocate([("tags", "hwa-pick")])
            } throws: { error in
                (error as? MAASError)?.status == 409 && "\(error)".contains("No available machine matches constraints")
            }
            _ = try await client.operate(target.systemID, "deploy", form: [("distro_series", "noble")])
            let deployed = try await client.wait(
                for: target.systemID, until: [MAASMachine.Status.deployed], timeout: .seconds(120))
            #expect(deployed.powerState == "on" && bmcPower(index) == "On" && !deployed.addresses.isEmpty)
            #expect(try await client.operate(target.systemID, "power_off").powerState == "off")
            #expect(bmcPower(index) == "Off")
            #expect(try await client.queryPowerState(target.systemID) == "off")
            #expect(try await client.operate(target.systemID, "power_on").powerState == "on")
            #expect(bmcPower(index) == "On")
            // A change made on the BMC (ComputerSystem.Reset over Redfish) is what MAAS reads next.
            var reset = URLRequest(
                url: URL(
                    string: "http://127.0.0.1:\(port)/bmc/\(index)/redfish/v1/Systems/1/Actions/ComputerSystem.Reset")!)
            reset.httpMethod = "POST"
            reset.httpBody = Data(#"{"ResetType": "ForceOff"}"#.utf8)
            reset.setValue("application/json", forHTTPHeaderField: "Content-Type")
            reset.setValue(
                "Basic " + login,
                forHTTPHeaderField: "Authorization")
            let (_, answer) = try await URLSession.shared.data(for: reset)
            let off = (answer as? HTTPURLResponse)?.statusCode
            #expect(off == 204)
            #expect(try await client.queryPowerState(target.systemID) == "off")
            #expect(try await client.machine(target.systemID).powerState == "off")
            // Release powers off and clears the owner; releasing a Ready machine again is nothing to do.
            _ = try await client.operate(target.systemID, "release")
            let released = try await client.wait(
                for: target.systemID, until: [MAASMachine.Status.ready], timeout: .seconds(120))
            #expect(released.owner == nil && released.powerState == "off")
            #expect(try await client.operate(target.systemID, "release").statusName == "Ready")
            await client.shutdown()
        }
    }

    @Test("requests match the API 2.0 description byte for byte: paths, op=, form bodies, OAuth PLAINTEXT header")
    func wireFormat() async throws {
        let lab = try Self.lab(nodes: 1)
        try await lab.withServer { port in
            let client = try Self.client(port: port)
            let id = try #require(try await client.machines().first?.systemID)
            var options = MAASClient.CommissionOptions()
            options.enableSSH = true
            options.testingScripts = ["smartctl-validate", "memtester"]
            _ = try await client.commission(id, options: options)
            try await client.ensureTag("hwa-rack-1", comment: "rack 1/row&2")
            try await client.updateTagNodes("hwa-rack-1", add: [id])
            await client.shutdown()
            let received = try #require(lab.maas?.received)
            #expect(
                received.map { "\($0.method) \($0.target)" } == [
                    "GET /MAAS/api/2.0/machines/",
                    "POST /MAAS/api/2.0/machines/\(id)/?op=commission",
                    "GET /MAAS/api/2.0/tags/",
                    "POST /MAAS/api/2.0/tags/",
                    "POST /MAAS/api/2.0/tags/hwa-rack-1/?op=update_nodes",
                ])
            let commission = received[1]
            #expect(commission.contentType == "application/x-www-form-urlencoded")
            #expect(
                commission.body
                    == "enable_ssh=1&skip_networking=0&skip_storage=0&testing_scripts=smartctl-validate%2Cmemtester")
            #expect(received[3].body == "name=hwa-rack-1&comment=rack%201%2Frow%262")
            #expect(received[4].body == "add=\(id)")
            let header = try #require(commission.authorization)
            let pattern =
                #"^OAuth oauth_version="1\.0", oauth_signature_method="PLAINTEXT", oauth_consumer_key="ConsumerKey1", oauth_token="TokenKey22", oauth_signature="%26TokenSecret333", oauth_nonce="[0-9a-f-]{36}", oauth_timestamp="[0-9]{10}"$"#
            #expect(header.range(of: pattern, options: .regularExpression) != nil, "\(header)")
        }
    }

    @Test("a wrong API key is a clear 401; a malformed one is refused before any request")
    func badKeys() async throws {
        let lab = try Self.lab(nodes: 1)
        try await lab.withServer { port in
            let client = try Self.client(port: port, key: "ConsumerKey1:TokenKey22:wrong")
            await #expect {
                _ = try await client.machines()
            } throws: { error in
                let error = error as? MAASError
                return error?.kind == .unauthorized && error?.status == 401
                    && error?.description.contains("the API key was refused") == true
            }
            await client.shutdown()
        }
        #expect(throws: MAASError.self) {
            try MAASEndpoint(url: URL(string: "http://maas:5240/MAAS")!, apiKey: "only-two:parts")
        }
    }

    @Test("a region that accepts connections but never answers times out with a clear error")
    func silentRegion() async throws {
        // A listening socket nobody reads from: the connection is accepted by the kernel, no answer ever comes.
        let listener = Process()
        listener.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        listener.arguments = [
            "-c",
            "import socket,sys,time; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(8); "
                + "print(s.getsockname()[1], flush=True); time.sleep(120)",
        ]
        let pipe = Pipe()
        listener.standardOutput = pipe
        try listener.run()
        defer { listener.terminate() }
        let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)))
        let client = try Self.client(port: port, timeout: .seconds(1))
        await #expect {
            _ = try await client.machines()
        } throws: { error in
            (error as? MAASError)?.kind == .timeout && "\(error)".contains("did not answer within 1.0 seconds")
        }
        await client.shutdown()
    }
}

/// Statuses a wait passed through.
actor StatusLog {
    var names: [String] = []
    func add(_ name: String) { names.append(name) }
}

/// The TLS policies a run names for its MAAS region.
@Suite("MAAS TLS policy")
struct MAASTLSPolicyTests {
    @Test("verify, insecure and ca:FILE are understood; anything else is refused with the choices")
    func policies() throws {
        let url = URL(string: "https://maas.example:5240/MAAS")!
        let key = "a:b:c"
        #expect(try MAASEndpoint(url: url, apiKey: key, tlsPolicy: nil).verifyTLS)
        #expect(try !MAASEndpoint(url: url, apiKey: key, tlsPolicy: "insecure").verifyTLS)
        let pinned = try MAASEndpoint(url: url, apiKey: key, tlsPolicy: "ca:/etc/maas/ca.pem")
        #expect(pinned.verifyTLS && pinned.caFile == "/etc/maas/ca.pem")
        #expect {
            _ = try MAASEndpoint(url: url, apiKey: key, tlsPolicy: "pin")
        } throws: { error in
            "\(error)".contains("verify, insecure, ca:FILE")
        }
    }
}

/// Reading MAAS's machine JSON as MAAS 3.x prints it.
@Suite("MAAS machine JSON")
struct MAASMachineJSONTests {
    @Test("addresses: observed (discovered) before configured (links), each once; none before boot")
    func addresses() throws {
        let json = """
            {"system_id": "4y3h7n", "hostname": "node-1", "status": 4, "status_name": "Ready",
             "interface_set": [
               {"name": "eno1", "mac_address": "0C:C4:7A:00:00:01",
                "links": [{"id": 7, "mode": "dhcp", "ip_address": "10.20.0.15", "subnet": {"cidr": "10.20.0.0/24"}}],
                "discovered": [{"ip_address": "10.20.0.16", "subnet": {"cidr": "10.20.0.0/24"}}]},
               {"name": "eno2", "mac_address": "0c:c4:7a:00:00:02", "links": [{"mode": "link_up"}], "discovered": null},
               {"name": "eno3", "mac_address": "0c:c4:7a:00:00:03",
                "links": [{"mode": "static", "ip_address": "10.20.0.16"}]}
             ],
             "power_type": "redfish", "tag_names": ["a"]}
            """
        let machine = try JSONDecoder().decode(MAASMachine.self, from: Data(json.utf8))
        #expect(machine.addresses == ["10.20.0.16", "10.20.0.15"])
        #expect(machine.macAddresses == ["0c:c4:7a:00:00:01", "0c:c4:7a:00:00:02", "0c:c4:7a:00:00:03"])
        let new = try JSONDecoder().decode(
            MAASMachine.self,
            from: Data(
                #"{"system_id": "x", "status": 0, "interface_set": [{"mac_address": "aa:bb:cc:dd:ee:ff", "links": [{"mode": "auto"}], "discovered": []}]}"#
                    .utf8))
        #expect(new.addresses.isEmpty && new.statusName == "status 0")
        // Our own encoding reads back the same.
        let again = try JSONDecoder().decode(MAASMachine.self, from: try JSONEncoder().encode(machine))
        #expect(again == machine)
    }
}

import Catalog
import Foundation
import Inventory
import Lab
import Logging
import TestSupport
import Testing

@testable import Redfish

/// One client test suite, run against the lab BMC and, for what it supports, sushy-tools.
@Suite("Redfish client behaviours")
struct RedfishClientSuite {
    let logger = Logger(label: "redfish-suite")

    static func lab(_ settings: SimulatedBMC.Settings = SimulatedBMC.Settings()) -> Lab {
        let catalog = try! CatalogLoader.load(directory: nil).catalog
        let type = catalog.deviceType(named: "s2.c2.small")!
        return Lab(
            servers: [ServerModel(deviceType: type, index: 1), ServerModel(deviceType: type, index: 2)],
            settings: settings)
    }

    func labClient(_ port: Int, index: Int = 0) throws -> RedfishClient {
        try RedfishClient(
            endpoint: RedfishEndpoint(
                baseURL: Lab.baseURL(port: port, index: index), username: "admin", password: "password",
                timeout: .seconds(10), maxTaskPoll: .milliseconds(10)),
            logger: logger)
    }

    /// Behaviours every Redfish service shares: navigation from the root, reading a system and its BIOS.
    func common(_ client: RedfishClient) async throws {
        let root = try await client.serviceRoot()
        #expect(root["RedfishVersion"].string != nil)
        let systems = try await client.members(of: "Systems")
        #expect(!systems.isEmpty)
        let system = try await client.get(systems[0])
        #expect(system["PowerState"].string != nil)
        if let biosPath = system["Bios"]["@odata.id"].string {
            let bios = try await client.get(biosPath)
            #expect(bios["Attributes"].object?.isEmpty == false)
        }
    }

    @Test("lab: navigation, one session created and deleted, requests counted")
    func labCommon() async throws {
        let lab = Self.lab()
        try await lab.withServer { port in
            let client = try labClient(port)
            try await common(client)
            let counters = await client.counters
            await client.close()
            #expect(counters.sessionsCreated == 1)
            #expect(lab.nodes[0].withState { $0.counters.sessionsCreated } == 1)
            #expect(lab.nodes[0].withState { $0.counters.sessionsDeleted } == 1)
            #expect(lab.nodes[0].withState { $0.counters.requests } == counters.requests + 1)
            // The other BMC of the lab saw nothing.
            #expect(lab.nodes[1].withState { $0.counters.requests } == 0)
        }
    }

    @Test(
        "lab: a stale ETag gets 412, the client retries with the current form and succeeds; actions carry no If-Match")
    func labETag() async throws {
        let lab = Self.lab()
        try await lab.withServer { port in
            let client = try labClient(port)
            let settings = "/bmc/0/redfish/v1/Systems/1/Bios/Settings"
            let current = try await client.fetch(settings)
            let etag = try #require(current.resourceETag)
            let response = try await client.patch(
                settings, .object(["Attributes": .object(["Bootmodeselect": .string("UEFI")])]), etag: "W/" + etag)
            #expect(response.status == 200)
            let stale = try await client.patch(
                settings, .object(["Attributes": .object(["PXEBoot": .string("Enabled")])]), etag: etag)
            #expect(stale.status == 200)
            #expect(lab.nodes[0].withState { $0.counters.preconditionFailures } == 1)
            #expect(lab.nodes[0].withState { $0.pendingAttributes.count } == 2)
            _ = try await client.action(
                "/bmc/0/redfish/v1/Systems/1/Actions/ComputerSystem.Reset",
                .object(["ResetType": .string("ForceRestart")]))
            // In force once the reset's POST is over.
            #expect(
                lab.nodes[0].withState { bmc in
                    _ = bmc.powerState(at: 1e9)
                    return bmc.attribute("Bootmodeselect")
                } == .string("UEFI"))
            await client.close()
        }
    }

    @Test("lab: a 202 task is followed to completion")
    func labTask() async throws {
        let lab = Self.lab()
        try await lab.withServer { port in
            let client = try labClient(port)
            let done = try await client.action(
                "/bmc/0/redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate",
                .object(["ImageURI": .string("http://repo/bmc-1.74.06.bin")]))
            #expect(done.body["TaskState"].string == "Completed")
            #expect(try await client.get("/bmc/0/redfish/v1/Managers/1")["FirmwareVersion"].string == "1.74.06")
            await client.close()
        }
    }

    @Test("lab: host interface off and KCS privilege to Callback, each read back; a non-Supermicro BMC has no KCS")
    func labInBandDoors() async throws {
        let lab = Self.lab()
        try await lab.withServer { port in
            let client = try labClient(port)
            let manager = try await client.firstManager()
            #expect(try await client.hostInterfaces(manager: manager).map(\.enabled) == [true])
            #expect(try await client.setHostInterfaces(manager: manager, enabled: false).map(\.enabled) == [false])
            #expect(try await client.kcsPrivilege(manager: manager) == .administrator)
            try await client.setKCSPrivilege(.callback, manager: manager)
            #expect(try await client.kcsPrivilege(manager: manager) == .callback)
            await client.close()
        }
        var hpe = SimulatedBMC.Settings()
        hpe.profile = .hpe
        try await Self.lab(hpe).withServer { port in
            let client = try labClient(port)
            let manager = try await client.firstManager()
            await #expect {
                try await client.setKCSPrivilege(.callback, manager: manager)
            } throws: { error in
                "\(error)".contains("no Oem/Supermicro/KCSInterface") && "\(error)".contains("127.0.0.1")
            }
            await client.close()
        }
    }

    @Test("lab: a 503 is retried; garbage JSON is a clear error; the session limit is a clear error")
    func labFaults() async throws {
        var settings = SimulatedBMC.Settings()
        settings.sessionLimit = 1
        let lab = Self.lab(settings)
        try await lab.withServer { port in
            let client = try labClient(port)
            _ = try await client.serviceRoot()
            lab.nodes[0].withState { $0.injectedFailures = [503] }
            let before = await client.requestCount
            let system = try await client.get("/bmc/0/redfish/v1/Systems/1")
            #expect(system["Id"].string == "1")
            #expect(await client.requestCount == before + 2)
            lab.nodes[0].withState { $0.injectedGarbage = 1 }
            await #expect {
                _ = try await client.get("/bmc/0/redfish/v1/Systems/1")
            } throws: { error in
                guard let error = error as? RedfishError else { return false }
                return error.kind == .invalidResponse && error.message.contains("not JSON")
                    && error.bmc.hasPrefix("127.0.0.1:")
            }
            // A second client cannot log in while the first holds the only session.
            let second = try labClient(port)
            await #expect {
                _ = try await second.get("/bmc/0/redfish/v1/Systems/1")
            } throws: { error in
                (error as? RedfishError)?.extendedInfo.contains { $0.contains("RAC0218") } == true
            }
            await second.shutdown()
            await client.close()
        }
    }

    @Test(
        "sushy-tools (libvirt): navigation and BIOS over Basic auth (it has no sessions); PATCH of Bios/Settings",
        .enabled(if: Peer.redfishTLS.enabled))
    func sushy() async throws {
        let client = try RedfishClient(
            endpoint: RedfishEndpoint(
                baseURL: URL(string: try Peer.value("HWA_TEST_REDFISH_TLS_URL"))!,
                username: try Peer.value("HWA_TEST_REDFISH_USER"),
                password: try Peer.secret("HWA_TEST_REDFISH_PASSWORD_FILE"),
                tls: .trustRoots(pemFile: try Peer.value("HWA_TEST_REDFISH_CA"))),
            logger: logger)
        try await common(client)
        let systems = try await client.members(of: "Systems")
        let node = try #require(systems.first { $0.hasSuffix("555555555501") })
        let biosPath = try #require(try await client.get(node)["Bios"]["@odata.id"].string)
        let bios = try await client.fetch(biosPath)
        let settings = try #require(bios.body["@Redfish.Settings"]["SettingsObject"]["@odata.id"].string)
        let original = try #require(bios.body["Attributes"]["ProcTurboMode"].string)
        let flipped = original == "Enabled" ? "Disabled" : "Enabled"
        for value in [flipped, original] {
            let response = try await client.patch(
                settings, .object(["Attributes": .object(["ProcTurboMode": .string(value)])]), etag: bios.resourceETag)
            #expect((200..<300).contains(response.status))
            #expect(try await client.get(biosPath)["Attributes"]["ProcTurboMode"].string == value)
        }
        let counters = await client.counters
        #expect(counters.sessionsCreated == 0)
        await client.close()
    }
}

import AsyncHTTPClient
import Catalog
import Foundation
import Inventory
import NIOCore
import NIOHTTP1
import Redfish
import Testing

@testable import Lab

/// Each lab BMC reached as a real one, at the root of a port of its own, over real HTTP: links as a real BMC writes
/// them (no `/bmc/<n>` prefix), and the same BMC — state, tasks, sessions — as under the shared listener's prefix.
@Suite("Lab BMCs on ports of their own")
struct LabPortPerBMCTests {
    /// Two BMCs with different serial numbers, so a request that reaches the wrong one shows.
    static let servers: [ServerModel] = {
        let catalog = try! CatalogLoader.load(directory: nil).catalog
        let type = catalog.deviceType(named: "s2.c2.small")!
        return [ServerModel(deviceType: type, index: 1), ServerModel(deviceType: type, index: 2)]
    }()

    /// One answer with its headers, as sent.
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: JSONValue?
    }

    /// `method` to `url` as the lab's user (Basic auth), with a JSON `body`.
    static func request(_ method: HTTPMethod, _ url: String, body: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Basic " + Data("admin:password".utf8).base64EncodedString())
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let bytes = try await response.body.collect(upTo: 8 * 1024 * 1024)
        let data = Data(bytes.readableBytesView)
        return Answer(
            status: Int(response.status.code), headers: response.headers,
            body: data.isEmpty ? nil : try? JSONValue.parse(data))
    }

    @Test("BMC n answers at the root of its own port, with links as a real BMC's: no /bmc/ prefix")
    func unprefixedLinks() async throws {
        let lab = Lab(servers: Self.servers)
        try await lab.withListeners { listeners in
            #expect(listeners.bmcPorts.count == 2)
            #expect(Set(listeners.bmcPorts + [listeners.port]).count == 3)
            let root = Lab.rootURL(port: listeners.bmcPorts[1]).absoluteString
            let service = try await Self.request(.GET, root + "/redfish/v1")
            #expect(service.status == 200)
            #expect(service.body?["@odata.id"].string == "/redfish/v1")
            #expect(service.body?["Systems"]["@odata.id"].string == "/redfish/v1/Systems")
            // The same BMC under the shared listener's prefix writes its links with it.
            let shared = Lab.baseURL(port: listeners.port, index: 1).absoluteString
            let prefixed = try await Self.request(.GET, shared + "/redfish/v1")
            #expect(prefixed.body?["Systems"]["@odata.id"].string == "/bmc/1/redfish/v1/Systems")
            // The system is BMC 1's, and its links are unprefixed.
            let system = try await Self.request(.GET, root + "/redfish/v1/Systems/1")
            #expect(system.body?["SerialNumber"].string == Self.servers[1].serial)
            #expect(system.body?["SerialNumber"].string != Self.servers[0].serial)
            #expect(system.body?["Bios"]["@odata.id"].string == "/redfish/v1/Systems/1/Bios")
            // A session's Location and a 202 task's monitor are paths at the root too.
            let session = try await Self.request(
                .POST, root + "/redfish/v1/SessionService/Sessions",
                body: #"{"UserName": "admin", "Password": "password"}"#)
            #expect(session.status == 201)
            let sessionPath = try #require(session.headers.first(name: "Location"))
            #expect(sessionPath.hasPrefix("/redfish/v1/SessionService/Sessions/"))
            #expect(session.body?["@odata.id"].string == sessionPath)
            let update = try await Self.request(
                .POST, root + "/redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate",
                body: #"{"ImageURI": "http://repo.invalid/firmware/bmc-1.80.bin"}"#)
            #expect(update.status == 202)
            let monitor = try #require(update.headers.first(name: "Location"))
            #expect(monitor.hasPrefix("/redfish/v1/TaskService/"))
            // The monitor the root listener wrote is followed on that listener.
            let polled = try await Self.request(.GET, root + monitor)
            #expect([200, 202].contains(polled.status))
            // A path outside Redfish is the BMC's 404, not the lab's prefix router's.
            let away = try await Self.request(.GET, root + "/bmc/1/redfish/v1")
            #expect(away.status == 404)
        }
    }

    @Test("a change through a BMC's own port is seen through the shared prefix listener, and the other way round")
    func sharedState() async throws {
        let lab = Lab(servers: Self.servers)
        try await lab.withListeners { listeners in
            let own = LabHTTP(rootPort: listeners.bmcPorts[0])
            let shared = LabHTTP(port: listeners.port, index: 0)
            #expect(await own.patchBIOS(["Bootmodeselect": .string("Legacy")]).status == 200)
            let pending = await shared.send("GET", "/redfish/v1/Systems/1/Bios/Settings")
            #expect(pending.body?["Attributes"]["Bootmodeselect"].string == "Legacy")
            #expect(pending.body?["@odata.id"].string == "/bmc/0/redfish/v1/Systems/1/Bios/Settings")
            // A session made under the prefix is one of the BMC's sessions on its own port.
            let login = await shared.login()
            let session = try login.get().session
            #expect(session.hasPrefix("/bmc/0/redfish/v1/SessionService/Sessions/"))
            let sessions = await own.send("GET", "/redfish/v1/SessionService/Sessions")
            let members = sessions.body?["Members"].array.compactMap { $0["@odata.id"].string } ?? []
            #expect(members.contains(String(session.dropFirst("/bmc/0".count))))
            // The other BMC saw none of it.
            let other = await LabHTTP(rootPort: listeners.bmcPorts[1]).send(
                "GET", "/redfish/v1/Systems/1/Bios/Settings")
            #expect(other.body?["Attributes"]["Bootmodeselect"].string == nil)
        }
        #expect(lab.nodes[0].withState { $0.pendingAttributes["Bootmodeselect"] } == .string("Legacy"))
        #expect(lab.nodes[1].withState { $0.pendingAttributes["Bootmodeselect"] } == nil)
    }

    @Test("per-BMC ports run from the base; a base that overflows 65535 or covers the shared port is refused")
    func portRange() throws {
        #expect(try Lab.bmcPorts(base: 9000, count: 3, sharedPort: 8600) == [9000, 9001, 9002])
        #expect(try Lab.bmcPorts(base: 65533, count: 3, sharedPort: 8600) == [65533, 65534, 65535])
        #expect(try Lab.bmcPorts(base: 9000, count: 0, sharedPort: 8600) == [])
        let overflow = #expect(throws: LabError.self) {
            try Lab.bmcPorts(base: 65534, count: 3, sharedPort: 8600)
        }
        #expect(overflow?.message.contains("--port-per-bmc 65534") == true)
        #expect(overflow?.message.contains("at most 65533") == true)
        let shared = #expect(throws: LabError.self) { try Lab.bmcPorts(base: 8599, count: 3, sharedPort: 8600) }
        #expect(shared?.message.contains("--port 8600") == true)
        #expect(throws: LabError.self) { try Lab.bmcPorts(base: 0, count: 3, sharedPort: 8600) }
    }
}

extension LabHTTP {
    /// The BMC served at the root of its own `port` (`http://127.0.0.1:<port>/redfish/v1`).
    init(rootPort port: Int) {
        base = Lab.rootURL(port: port)
    }
}

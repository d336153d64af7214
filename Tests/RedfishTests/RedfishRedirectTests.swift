import Catalog
import Foundation
import Inventory
import Lab
import Logging
import Testing

@testable import Redfish

/// Redirects and links against lab BMCs: followed within the BMC's origin, refused (nothing sent) to another.
@Suite("Redfish client redirects")
struct RedfishRedirectTests {
    let logger = Logger(label: "redfish-redirects")

    static func lab(redirects: [String: String] = [:]) -> Lab {
        let catalog = try! CatalogLoader.load(directory: nil).catalog
        let type = catalog.deviceType(named: "s2.c2.small")!
        var settings = SimulatedBMC.Settings()
        settings.redirects = redirects
        return Lab(servers: [ServerModel(deviceType: type, index: 1)], settings: settings)
    }

    func client(_ port: Int, sessions: Bool) throws -> RedfishClient {
        try RedfishClient(
            endpoint: RedfishEndpoint(
                baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password",
                // Generous: under the full suite's parallel load an answer can take seconds; nothing here is timed.
                timeout: .seconds(60), attempts: 1, preferSessions: sessions),
            logger: logger)
    }

    @Test("a same-origin redirect (path or absolute URL) is followed with the credentials")
    func sameOrigin() async throws {
        try await Self.lab(redirects: [
            "/redfish/v1/Systems/self": "/redfish/v1/Systems/1"
        ]).withServer { port in
            let client = try client(port, sessions: true)
            let system = try await client.get("/bmc/0/redfish/v1/Systems/self")
            #expect(system["@odata.id"].string == "/bmc/0/redfish/v1/Systems/1")
            let absolute = try await client.get("http://127.0.0.1:\(port)/bmc/0/redfish/v1/Systems/1")
            #expect(absolute["@odata.id"].string == "/bmc/0/redfish/v1/Systems/1")
            await client.close()
        }
    }

    @Test(
        "a redirect to another origin is refused naming both origins; the other origin never hears from the client",
        arguments: [true, false])
    func otherOrigin(sessions: Bool) async throws {
        // The other origin: a second lab (another port) whose BMC counts every request it gets.
        let elsewhere = Self.lab()
        try await elsewhere.withServer { otherPort in
            let target = "http://127.0.0.1:\(otherPort)/bmc/0/redfish/v1/Systems/1"
            let bmc = Self.lab(redirects: ["/redfish/v1/Systems/1": target])
            try await bmc.withServer { port in
                let client = try client(port, sessions: sessions)
                _ = try await client.serviceRoot()
                await #expect {
                    _ = try await client.get("/bmc/0/redfish/v1/Systems/1")
                } throws: { error in
                    guard let error = error as? RedfishError else { return false }
                    return error.kind == .refused && error.status == 307
                        && error.message.contains("http://127.0.0.1:\(otherPort)")
                        && error.message.contains("http://127.0.0.1:\(port)")
                        && error.path == "/bmc/0/redfish/v1/Systems/1"
                }
                // An absolute link to the other origin is refused before anything is sent.
                await #expect {
                    _ = try await client.get(target)
                } throws: { error in
                    (error as? RedfishError)?.kind == .refused
                }
                #expect(await client.counters.sessionsCreated == (sessions ? 1 : 0))
                await client.close()
            }
            #expect(elsewhere.nodes[0].withState { $0.counters.requests } == 0)
        }
    }

    @Test("a redirect loop ends with an error, not forever")
    func loop() async throws {
        try await Self.lab(redirects: [
            "/redfish/v1/Systems/a": "/redfish/v1/Systems/b", "/redfish/v1/Systems/b": "/redfish/v1/Systems/a",
        ]).withServer { port in
            let client = try client(port, sessions: false)
            await #expect {
                _ = try await client.get("/bmc/0/redfish/v1/Systems/a")
            } throws: { error in
                (error as? RedfishError)?.message.contains("loop") == true
            }
            #expect(await client.requestCount <= RedfishClient.maxRedirects + 2)
            await client.shutdown()
        }
    }
}

import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Lab
import Logging
import NIOCore
import Synchronization
import TestSupport
import Testing

@testable import Redfish

/// `RedfishClient.expanded(_:)`: a resource read with its subordinates expanded where the service may, and read
/// plainly where it refuses (501, 400) or does not know the query (404).
@Suite("Redfish expanded reads")
struct RedfishExpandedReadTests {
    let logger = Logger(label: "expanded-read-tests")

    /// The request targets a service saw.
    final class Seen: Sendable {
        let targets = Mutex<[String]>([])
    }

    /// A service that answers 501 Not Implemented to any query and serves two systems plainly; the targets it saw.
    static func withRefusingService(_ body: @escaping @Sendable (Int, Seen) async throws -> Void) async throws {
        let seen = Seen()
        let router = Router()
        router.get("/redfish/v1/Systems/:id") { request, context in
            seen.targets.withLock { $0.append(request.uri.description) }
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            let id = context.parameters.get("id") ?? "?"
            let text =
                request.uri.query != nil
                ? #"{"error": {"code": "Base.1.8.QueryNotSupported", "message": "no queries"}}"#
                : #"{"@odata.id": "/redfish/v1/Systems/\#(id)", "Id": "\#(id)", "PowerState": "On"}"#
            return Response(
                status: request.uri.query != nil ? .notImplemented : .ok, headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/redfish/v1/Systems") { request, _ in
            seen.targets.withLock { $0.append(request.uri.description) }
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            let text =
                request.uri.query != nil
                ? #"{"error": {"code": "Base.1.8.QueryNotSupported", "message": "no queries"}}"#
                : #"{"@odata.id": "/redfish/v1/Systems", "Members": [{"@odata.id": "/redfish/v1/Systems/1"}]}"#
            return Response(
                status: request.uri.query != nil ? .notImplemented : .ok, headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        try await StubBMC.serve(router, label: "refusing-bmc") { port in try await body(port, seen) }
    }

    @Test("a collection read before the root: the expansion asked, a 501 read plainly and remembered, no root read")
    func collectionWithoutRoot() async throws {
        try await Self.withRefusingService { port, seen in
            let endpoint = RedfishEndpoint(baseURL: try #require(URL(string: "http://127.0.0.1:\(port)")))
            let client = try RedfishClient(endpoint: endpoint, logger: logger)
            #expect(await client.standardLink("Registries") == "/redfish/v1/Registries", "the schema's URI")
            let members = try await client.collection("/redfish/v1/Systems").body["Members"].array
            let system = try await client.expanded("/redfish/v1/Systems/1")
            await client.shutdown()
            #expect(members.count == 1 && system.body["Id"].string == "1")
            #expect(
                seen.targets.withLock { $0 }
                    == ["/redfish/v1/Systems?$expand=.($levels=1)", "/redfish/v1/Systems", "/redfish/v1/Systems/1"])
        }
    }

    @Test("a 501 to the expansion: read plainly, not asked again (nor retried), and the refusal is remembered")
    func refused() async throws {
        try await Self.withRefusingService { port, seen in
            let endpoint = RedfishEndpoint(baseURL: try #require(URL(string: "http://127.0.0.1:\(port)/redfish/v1")))
            let client = try RedfishClient(endpoint: endpoint, logger: logger)
            let first = try await client.expanded("/redfish/v1/Systems/1")
            let second = try await client.expanded("/redfish/v1/Systems/2")
            let again = try await client.expanded("/redfish/v1/Systems/1")
            await client.shutdown()
            #expect(first.body["Id"].string == "1" && second.body["Id"].string == "2" && again == first)
            #expect(
                seen.targets.withLock { $0 }
                    == [
                        "/redfish/v1/Systems/1?$expand=.($levels=1)", "/redfish/v1/Systems/1", "/redfish/v1/Systems/2",
                    ])
        }
    }

    @Test(
        "sushy-static (DMTF's mockup; 404 to a query it does not know): the plain system, its Bios still a link",
        .enabled(if: Peer.mockup.enabled))
    func notKnown() async throws {
        let endpoint = RedfishEndpoint(baseURL: try #require(URL(string: try Peer.value("HWA_TEST_MOCKUP_URL"))))
        let client = try RedfishClient(endpoint: endpoint, logger: logger)
        let system = try await client.expanded("/redfish/v1/Systems/437XR1138R2").body
        let paths = await client.counters.byPath
        await client.shutdown()
        #expect(system["Id"].string == "437XR1138R2" && system["Bios"]["Attributes"].isNull)
        #expect(paths["GET /redfish/v1/Systems/437XR1138R2?$expand=.($levels=1)"] == 1, "\(paths)")
        #expect(paths["GET /redfish/v1/Systems/437XR1138R2"] == 1, "\(paths)")
    }

    /// A Basic-auth client of a lab BMC (HPE profile, a1.c5.large), shut down by `body`.
    static func withLabClient(_ body: @escaping @Sendable (RedfishClient) async throws -> Void) async throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "a1.c5.large"))
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], clock: ManualLabClock())
        try await lab.withServer { port in
            let endpoint = RedfishEndpoint(
                baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password",
                preferSessions: false)
            try await body(try RedfishClient(endpoint: endpoint, logger: Logger(label: "expanded-read-tests")))
        }
    }

    @Test("a lab BMC expands: the system's Bios comes with it, and reading the Bios sends nothing more")
    func expandedBios() async throws {
        try await Self.withLabClient { client in
            let system = try await client.expanded(client.serviceRootPath + "/Systems/1").body
            let biosPath = try #require(system["Bios"]["@odata.id"].string)
            let before = await client.requestCount
            let bios = try await client.cached(biosPath).body
            let after = await client.requestCount
            await client.shutdown()
            #expect(before == 1 && after == 1, "one request for both")
            #expect(bios["Attributes"].object?.isEmpty == false)
        }
    }

    @Test("keeping only the Bios: the system remembered as a plain read shows it, the other subordinates not kept")
    func keepingOnlyBios() async throws {
        try await Self.withLabClient { client in
            let path = client.serviceRootPath + "/Systems/1"
            let answer = try await client.expanded(path, keeping: ["Bios"]).body
            // The answer itself is whole: the Bios and SecureBoot expanded in it.
            #expect(answer["Bios"]["Attributes"].object?.isEmpty == false)
            let secureBoot = try #require(answer["SecureBoot"]["@odata.id"].string)
            #expect(answer["SecureBoot"]["@odata.type"].string != nil)
            let biosPath = try #require(answer["Bios"]["@odata.id"].string)
            // Remembered: the system with links where the expansion put documents, and the Bios.
            let system = try await client.cached(path).body
            #expect(
                system["Bios"].object?.keys.sorted() == ["@odata.id"] && system["Bios"]["@odata.id"].string == biosPath)
            #expect(system["SecureBoot"].object?.keys.sorted() == ["@odata.id"])
            #expect(system["PowerState"] == answer["PowerState"] && system["Id"] == answer["Id"])
            _ = try await client.cached(biosPath)
            #expect(await client.requestCount == 1, "the Bios was kept")
            _ = try await client.cached(secureBoot)
            #expect(await client.requestCount == 2, "SecureBoot was not kept: read when asked for")
            await client.shutdown()
        }
    }
}

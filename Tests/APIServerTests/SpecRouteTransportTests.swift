import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import Store
import Testing

@testable import APIServer

/// The operations generated from the OpenAPI document are routed by the access the document declares for them.
@Suite("Generated routes' access")
struct SpecRouteTransportTests {
    @Test("access comes from the document; an operation that declares none is refused at registration")
    func accessFromTheDocument() throws {
        #expect(OpenAPIDocument.access["GET /api/v1/catalog/vendors"] == .token(.read))
        #expect(OpenAPIDocument.access["POST /api/v1/catalog/proposals/{id}/accept"] == .token(.admin))
        #expect(OpenAPIDocument.access["GET /api/v1/health"] == .open)
        let routes = RouteTable()
        let store = InMemoryStore(box: .ephemeral())
        let transport = SpecRouteTransport(
            groups: RouteGroups(
                router: Router(context: APIRequestContext.self),
                authenticator: TokenAuthenticator(store: store, limiter: RequestRateLimiter(perSecond: 0, burst: 0))),
            routes: routes)
        let handler:
            @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?) =
                { _, _, _ in (HTTPResponse(status: .ok), nil) }
        try transport.register(handler, method: .get, path: "/api/v1/catalog/vendors")
        #expect(routes.all == [RouteTable.Route(method: "GET", path: "/api/v1/catalog/vendors")])
        #expect(routes.all.first?.access == .token(.read))
        let refused = #expect(throws: SpecRouteError.self) {
            try transport.register(handler, method: .get, path: "/api/v1/undocumented")
        }
        #expect(refused?.description.contains("GET /api/v1/undocumented") == true)
        #expect(routes.all.count == 1, "nothing registered for the refused operation")
    }
}

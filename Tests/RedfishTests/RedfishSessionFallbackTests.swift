import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing

@testable import Redfish

/// A login answered 2xx without `X-Auth-Token` (Supermicro X10/X11 firmware, proxies that drop the header): the
/// client goes on with Basic auth instead of failing, without sending the login again.
@Suite("Redfish session login without a token")
struct RedfishSessionFallbackTests {
    /// What the tokenless BMC saw.
    struct Seen: Sendable {
        var logins = 0
        var deletes: [String] = []
        var basicReads = 0
        var unauthenticatedReads = 0
    }

    /// What the BMC saw, shared with its handlers.
    final class Recorder: Sendable {
        let seen = Mutex(Seen())
    }

    static let basic = "Basic " + Data("admin:secret".utf8).base64EncodedString()

    /// A JSON answer.
    static func json(_ text: String, _ status: HTTPResponse.Status = .ok, _ headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A BMC whose SessionService answers 201 with a `Location` and no token, and that serves everything else to
    /// Basic auth only.
    static func withTokenlessBMC(_ body: @escaping @Sendable (Int, Recorder) async throws -> Void) async throws {
        let recorder = Recorder()
        let sessions = "/redfish/v1/SessionService/Sessions"
        let router = Router()
        router.get("/redfish/v1") { _, _ in
            Self.json(
                #"{"Systems": {"@odata.id": "/redfish/v1/Systems"}, "Links": {"Sessions": {"@odata.id": "\#(sessions)"}}}"#
            )
        }
        router.get(RouterPath(sessions)) { request, _ in
            request.headers[.authorization] == basic ? Self.json(#"{"Members": []}"#) : Self.json("{}", .unauthorized)
        }
        router.post(RouterPath(sessions)) { _, _ in
            recorder.seen.withLock { $0.logins += 1 }
            return Self.json(
                #"{"@odata.id": "\#(sessions)/7", "UserName": "admin"}"#, .created, [.location: "\(sessions)/7"])
        }
        router.delete(RouterPath(sessions + "/7")) { request, _ in
            guard request.headers[.authorization] == basic else { return Self.json("{}", .unauthorized) }
            recorder.seen.withLock { $0.deletes.append(request.uri.path) }
            return Response(status: .noContent)
        }
        router.get("/redfish/v1/Systems") { request, _ in
            guard request.headers[.authorization] == basic else {
                recorder.seen.withLock { $0.unauthenticatedReads += 1 }
                return Self.json("{}", .unauthorized)
            }
            recorder.seen.withLock { $0.basicReads += 1 }
            return Self.json(#"{"Members": [{"@odata.id": "/redfish/v1/Systems/1"}]}"#)
        }
        try await StubBMC.serve(router, label: "tokenless-bmc") { port in try await body(port, recorder) }
    }

    @Test("201 without X-Auth-Token: one login, the session it named deleted, every read with Basic auth")
    func basicFallback() async throws {
        try await Self.withTokenlessBMC { port, recorder in
            let client = try RedfishClient(
                endpoint: RedfishEndpoint(
                    baseURL: URL(string: "http://127.0.0.1:\(port)")!, username: "admin", password: "secret",
                    timeout: .seconds(10)),
                logger: Logger(label: "session-fallback"))
            let systems = try await client.members(of: "Systems")
            #expect(systems == ["/redfish/v1/Systems/1"])
            _ = try await client.get("/redfish/v1/Systems")
            let counters = await client.counters
            await client.close()
            #expect(counters.sessionsCreated == 1 && counters.sessionsDeleted == 1)
            let state = recorder.seen.withLock { $0 }
            #expect(state.logins == 1, "the login is never sent twice")
            #expect(state.deletes == ["/redfish/v1/SessionService/Sessions/7"])
            #expect(state.basicReads == 2 && state.unauthenticatedReads == 0)
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing

@testable import Redfish

/// The login carries a `Context` (Session v1.5.0) instead of reading the sessions before every login; these are the
/// BMCs that do not keep it: one that refuses the property, one that ignores it and loses a login's answer.
@Suite("Redfish login Context")
struct RedfishLoginContextTests {
    /// How the stub BMC treats a login's `Context`.
    enum Shape: Sendable {
        /// Answers 400 (PropertyUnknown) to a login that carries one.
        case refusesContext
        /// Ignores it, shows Session v1.0.0 members without it, and loses its first login's answer (503 after
        /// creating the session).
        case ignoresContextAndLosesAnswer
    }

    /// What the stub BMC saw and holds.
    struct Seen: Sendable {
        var logins: [Bool] = []
        var collectionReads = 0
        var live: [String] = []
        var tokenReads = 0
    }

    final class Recorder: Sendable {
        let seen = Mutex(Seen())
    }

    static let basic = "Basic " + Data("admin:secret".utf8).base64EncodedString()
    static let sessions = "/redfish/v1/SessionService/Sessions"

    static func json(_ text: String, _ status: HTTPResponse.Status = .ok, _ headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func withBMC(_ shape: Shape, _ body: @escaping @Sendable (Int, Recorder) async throws -> Void) async throws {
        let recorder = Recorder()
        let router = Router()
        router.get("/redfish/v1") { _, _ in
            Self.json(
                #"{"Systems": {"@odata.id": "/redfish/v1/Systems"}, "Links": {"Sessions": {"@odata.id": "\#(sessions)"}}}"#
            )
        }
        router.get(RouterPath(sessions)) { request, _ in
            guard request.headers[.authorization] == basic else { return Self.json("{}", .unauthorized) }
            let live = recorder.seen.withLock {
                $0.collectionReads += 1
                return $0.live
            }
            let members = live.map { #"{"@odata.id": "\#(sessions)/\#($0)"}"# }.joined(separator: ", ")
            return Self.json(#"{"Members": [\#(members)]}"#)
        }
        router.get(RouterPath(sessions + "/:id")) { request, context in
            guard request.headers[.authorization] == basic else { return Self.json("{}", .unauthorized) }
            let id = context.parameters.get("id") ?? ""
            return Self.json(##"{"@odata.type": "#Session.v1_0_0.Session", "Id": "\##(id)", "UserName": "admin"}"##)
        }
        router.post(RouterPath(sessions)) { request, _ in
            let data = try await request.body.collect(upTo: 1 << 16)
            let login = try JSONSerialization.jsonObject(with: Data(String(buffer: data).utf8)) as? [String: Any] ?? [:]
            let tagged = login["Context"] != nil
            let (id, first) = recorder.seen.withLock { seen -> (String?, Bool) in
                seen.logins.append(tagged)
                if shape == .refusesContext && tagged { return (nil, false) }
                let id = String(seen.live.count + seen.logins.count)
                seen.live.append(id)
                return (id, seen.logins.count == 1)
            }
            guard let id else {
                return Self.json(
                    #"{"error": {"code": "Base.1.8.PropertyUnknown", "message": "Context is not a known property."}}"#,
                    .badRequest)
            }
            if shape == .ignoresContextAndLosesAnswer && first {
                return Self.json(#"{"error": {"code": "Base.1.8.ServiceTemporarilyUnavailable"}}"#, .serviceUnavailable)
            }
            return Self.json(
                #"{"@odata.id": "\#(sessions)/\#(id)"}"#, .created,
                [HTTPField.Name("X-Auth-Token")!: "token-\(id)", .location: "\(sessions)/\(id)"])
        }
        router.delete(RouterPath(sessions + "/:id")) { request, context in
            let id = context.parameters.get("id") ?? ""
            guard request.headers[.authorization] == basic || request.headers[HTTPField.Name("X-Auth-Token")!] != nil
            else { return Self.json("{}", .unauthorized) }
            recorder.seen.withLock { $0.live.removeAll { $0 == id } }
            return Response(status: .noContent)
        }
        router.get("/redfish/v1/Systems") { request, _ in
            guard request.headers[HTTPField.Name("X-Auth-Token")!] != nil else { return Self.json("{}", .unauthorized) }
            recorder.seen.withLock { $0.tokenReads += 1 }
            return Self.json(#"{"Members": [{"@odata.id": "/redfish/v1/Systems/1"}]}"#)
        }
        try await StubBMC.serve(router, label: "login-context-bmc") { port in try await body(port, recorder) }
    }

    static func client(_ port: Int) throws -> RedfishClient {
        try RedfishClient(
            endpoint: RedfishEndpoint(
                baseURL: URL(string: "http://127.0.0.1:\(port)")!, username: "admin", password: "secret",
                timeout: .seconds(10)),
            logger: Logger(label: "login-context"))
    }

    @Test("a BMC that refuses Context (400) gets the login without it, its sessions read first; later logins skip it")
    func refusedContext() async throws {
        try await Self.withBMC(.refusesContext) { port, recorder in
            let client = try Self.client(port)
            #expect(try await client.members(of: "Systems") == ["/redfish/v1/Systems/1"])
            let during = recorder.seen.withLock { $0 }
            #expect(during.logins == [true, false], "refused with Context, then sent once without it")
            #expect(during.collectionReads == 1, "the baseline a lost answer would be compared with")
            #expect(during.live.count == 1 && during.tokenReads == 1)
            await client.close()
            #expect(recorder.seen.withLock { $0.live }.isEmpty)
            // The refusal is remembered for this BMC: the next client logs in without Context at once.
            let next = try Self.client(port)
            _ = try await next.members(of: "Systems")
            await next.close()
            #expect(recorder.seen.withLock { $0.logins } == [true, false, false])
        }
    }

    @Test("a lost login answer on a BMC that keeps no Context: outcome unknown, the login sent once")
    func lostAnswerWithoutContext() async throws {
        try await Self.withBMC(.ignoresContextAndLosesAnswer) { port, recorder in
            let client = try Self.client(port)
            let error = await #expect(throws: RedfishError.self) { _ = try await client.members(of: "Systems") }
            #expect(error?.outcomeUnknown == true)
            #expect(error?.message.contains("Context") == true)
            let seen = recorder.seen.withLock { $0 }
            #expect(seen.logins == [true], "never sent twice blindly")
            #expect(seen.collectionReads == 1, "asked once, after the loss, not before the login")
            await client.close()
        }
    }

    @Test(
        "Session v1.5.0 and later keep a login's Context",
        arguments: [
            ("#Session.v1_5_0.Session", true), ("#Session.v1_8_0.Session", true), ("#Session.v2_0_0.Session", true),
            ("#Session.v1_4_2.Session", false), ("#Session.Session", false), ("", false),
        ])
    func keepsContext(_ type: String, _ keeps: Bool) {
        #expect(RedfishClient.keepsContext(sessionType: type) == keeps)
    }
}

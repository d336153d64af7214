import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Redfish

@testable import Lab

/// Plain HTTP to one lab BMC, with no retries and no recovery (unlike `RedfishClient`), so a test sees exactly
/// what the lab answered — or that it did not.
struct LabHTTP {
    /// What came back: an answer, or the transport error instead of one.
    enum Outcome {
        case answer(status: Int, body: JSONValue?)
        case failure(String)

        /// The status, when there was an answer.
        var status: Int? {
            if case .answer(let status, _) = self { return status }
            return nil
        }

        /// The JSON body, when there was an answer with one.
        var body: JSONValue? {
            if case .answer(_, let body) = self { return body }
            return nil
        }

        /// Whether no answer came.
        var failed: Bool { status == nil }
    }

    let base: URL

    /// The BMC at `index` of a lab served on `port`.
    init(port: Int, index: Int = 0) {
        base = Lab.baseURL(port: port, index: index)
    }

    /// Sends `method` (`GET`, `PATCH`, …) to `path` (`/redfish/v1/...`) with `body`, authenticated by the session
    /// `token` (`X-Auth-Token`) when given, else by Basic auth; waits at most `timeout`.
    func send(
        _ method: String, _ path: String, body: JSONValue? = nil, token: String? = nil,
        timeout: Duration = .seconds(20)
    ) async -> Outcome {
        // A link the lab wrote carries its `/bmc/<n>` prefix; `base` has it already.
        let below = path.hasPrefix("/bmc/") ? "/" + path.split(separator: "/", maxSplits: 2)[2] : path
        var request = HTTPClientRequest(url: base.absoluteString + below)
        request.method = HTTPMethod(rawValue: method)
        if let token {
            request.headers.add(name: "X-Auth-Token", value: token)
        } else {
            request.headers.add(
                name: "Authorization", value: "Basic " + Data("admin:password".utf8).base64EncodedString())
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: (try? JSONEncoder().encode(body)) ?? Data()))
        }
        do {
            let (seconds, attoseconds) = timeout.components
            let response = try await HTTPClient.shared.execute(
                request, timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
            let bytes = try await response.body.collect(upTo: 8 * 1024 * 1024)
            let data = Data(bytes.readableBytesView)
            return .answer(status: Int(response.status.code), body: data.isEmpty ? nil : try? JSONValue.parse(data))
        } catch {
            return .failure("\(error)")
        }
    }

    /// A session login as the lab's user: the session's token and `@odata.id` (as the lab wrote it), or the status
    /// (or transport error) when the BMC created none.
    func login() async -> Result<(token: String, session: String), LoginRefused> {
        var request = HTTPClientRequest(url: base.absoluteString + "/redfish/v1/SessionService/Sessions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"UserName": "admin", "Password": "password"}"#))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
            let bytes = try await response.body.collect(upTo: 1024 * 1024)
            let body = try? JSONValue.parse(Data(bytes.readableBytesView))
            guard response.status == .created, let token = response.headers.first(name: "X-Auth-Token"),
                let session = body?["@odata.id"].string
            else {
                return .failure(LoginRefused(status: Int(response.status.code), detail: "\(body ?? .null)"))
            }
            return .success((token, session))
        } catch {
            return .failure(LoginRefused(status: nil, detail: "\(error)"))
        }
    }

    /// Why `login` created no session: the status and body, or the transport error.
    struct LoginRefused: Error {
        var status: Int?
        var detail: String
    }

    /// A BIOS settings PATCH of `attributes`.
    func patchBIOS(_ attributes: [String: JSONValue], timeout: Duration = .seconds(20)) async -> Outcome {
        await send(
            "PATCH", "/redfish/v1/Systems/1/Bios/Settings", body: .object(["Attributes": .object(attributes)]),
            timeout: timeout)
    }

    /// A `ComputerSystem.Reset` of `type`.
    func reset(_ type: String = "ForceRestart") async -> Outcome {
        await send(
            "POST", "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset",
            body: .object(["ResetType": .string(type)]))
    }

    /// A `SimpleUpdate` of the image named `file` (taken by its name: the lab fetches only loopback images).
    func simpleUpdate(_ file: String, timeout: Duration = .seconds(20)) async -> Outcome {
        await send(
            "POST", "/redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate",
            body: .object(["ImageURI": .string("http://repo.invalid/firmware/\(file)")]), timeout: timeout)
    }

    /// Polls the task monitor `monitor` (as the lab wrote it, `/bmc/<n>/redfish/v1/...`) until the task is done;
    /// its last answer.
    func finish(_ monitor: String) async -> Outcome {
        var outcome = await send("GET", monitor)
        for _ in 0..<20 where outcome.status == 202 {
            outcome = await send("GET", monitor)
        }
        return outcome
    }
}

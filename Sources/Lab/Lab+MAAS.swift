import Foundation
import HTTPTypes
import Hummingbird
import Inventory
import NIOCore
import Redfish
import Synchronization

/// The lab's MAAS region on the HTTP side: its wiring to the lab's BMCs (power) and the request path below
/// `/MAAS/api/2.0/` (query, urlencoded or multipart form bodies, OAuth header, MAAS's content types).
extension Lab {
    /// The region over `servers`, its machines' power going to `nodes` (the BMCs) as MAAS's Redfish power driver
    /// goes: `PowerState` read from the system, `ComputerSystem.Reset` POSTed with the power parameters' login.
    static func maasNode(
        servers: [ServerModel], nodes: [Node], settings: SimulatedBMC.Settings, apiKey: String,
        operationSeconds: Double, hostAddress: ((Int) -> String)?
    ) -> MAASNode {
        var maas = SimulatedMAAS(
            servers: servers, apiKey: apiKey, operationSeconds: operationSeconds, bmcURL: { "/bmc/\($0)" },
            hostAddress: hostAddress)
        maas.bmcUser = settings.user
        maas.bmcPassword = settings.password
        maas.powerDriver = SimulatedMAAS.PowerDriver(
            // What the system's PowerState says over Redfish (vendor profiles say On through POST).
            state: { index, now in
                nodes[index].withState { bmc in
                    _ = bmc.powerState(at: now)
                    return bmc.reportedPowerState
                }
            },
            reset: { index, type, user, password, now in
                let login = Data("\(user):\(password)".utf8).base64EncodedString()
                let request = LabRequest(
                    method: "POST", path: "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset",
                    headers: ["authorization": "Basic \(login)", "content-type": "application/json"],
                    body: .object(["ResetType": .string(type)]))
                return nodes[index].withState { $0.handle(request, now: now).status }
            })
        return MAASNode(maas)
    }

    /// Answers a MAAS API request: the form is the urlencoded body, or the multipart one python-libmaas sends
    /// (each part base64, as Django's parser takes it); the query carries `op` and a GET's parameters.
    func respondMAAS(_ request: Request, _ maas: MAASNode) async throws -> Response {
        let prefix = "/MAAS/api/2.0/"
        let path = String(request.uri.path.dropFirst(prefix.count))
        let buffer = try await request.body.collect(upTo: 8 * 1024 * 1024)
        let raw = Data(buffer.readableBytesView)
        let text = String(decoding: raw, as: UTF8.self)
        let contentType = request.headers[.contentType]
        let form: [String: [String]]
        if let contentType, contentType.lowercased().hasPrefix("multipart/") {
            guard let multipart = MultipartForm.parse(raw, contentType: contentType) else {
                return Self.encodeMAAS(
                    LabResponse(status: 400, rawBody: "Malformed multipart/form-data body (\(contentType))."))
            }
            var fields: [String: [String]] = [:]
            for part in multipart.parts {
                fields[part.name, default: []].append(String(decoding: part.content, as: UTF8.self))
            }
            form = fields
        } else {
            form = Self.formFields(text)
        }
        let query = Self.formFields(request.uri.query ?? "")
        let authorization = request.headers[.authorization]
        maas.log.withLock {
            $0.append(
                MAASNode.Received(
                    method: request.method.rawValue, target: request.uri.string, contentType: contentType,
                    authorization: authorization, body: text))
        }
        let now = clock.now()
        let answer = maas.withState {
            $0.handle(
                method: request.method.rawValue, path: path, query: query, form: form, authorization: authorization,
                now: now, host: request.head.authority)
        }
        return Self.encodeMAAS(answer)
    }

    /// `a=1&b=2&b=3` → `["a": ["1"], "b": ["2", "3"]]`, percent- and plus-decoded.
    static func formFields(_ text: String) -> [String: [String]] {
        var fields: [String: [String]] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            guard let key = parts.first, !key.isEmpty else { continue }
            fields[key, default: []].append(parts.count > 1 ? parts[1] : "")
        }
        return fields
    }

    /// MAAS's content types: JSON answers are `application/json`, errors plain text (`text/plain;
    /// charset=utf-8`, as Django's and Piston's error answers are).
    static func encodeMAAS(_ response: LabResponse) -> Response {
        var fields = HTTPFields()
        var data = Data()
        if let raw = response.rawBody {
            data = Data(raw.utf8)
            if !data.isEmpty { fields[.contentType] = "text/plain; charset=utf-8" }
        } else if let body = response.body {
            data = (try? JSONEncoder().encode(body)) ?? Data()
            fields[.contentType] = "application/json"
        }
        return Response(
            status: HTTPResponse.Status(code: response.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

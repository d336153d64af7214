import Foundation
import Redfish

/// A request as a simulated BMC sees it: method, path below the BMC's prefix (`/redfish/v1/...`), headers
/// (lower-case names) and JSON body.
public struct LabRequest: Sendable {
    /// HTTP method.
    public var method: String
    /// Path without the lab's `/bmc/<id>` prefix and without a query.
    public var path: String
    /// Headers, lower-case names.
    public var headers: [String: String]
    /// Parsed JSON body; nil when empty; `.string` of the raw text when it is not JSON.
    public var body: JSONValue?
    /// The query string (`$expand=.($levels=1)`), percent-decoded.
    public var query: String
    /// The body's bytes (a multipart firmware push is not JSON).
    public var raw: Data

    /// Creates a request.
    public init(
        method: String, path: String, headers: [String: String] = [:], body: JSONValue? = nil, query: String = "",
        raw: Data = Data()
    ) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.query = query
        self.raw = raw
    }
}

/// A simulated BMC's answer.
public struct LabResponse: Sendable {
    /// HTTP status.
    public var status: Int
    /// Headers.
    public var headers: [String: String]
    /// JSON body.
    public var body: JSONValue?
    /// Raw body instead of JSON (garbage-JSON fault).
    public var rawBody: String?
    /// The lab resets the connection instead of sending this answer (an action performed, its answer lost).
    public var dropsConnection = false

    /// Creates a response.
    public init(status: Int, headers: [String: String] = [:], body: JSONValue? = nil, rawBody: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.rawBody = rawBody
    }

    /// A Redfish error body with one ExtendedInfo message.
    static func error(_ status: Int, _ messageID: String, _ message: String) -> LabResponse {
        LabResponse(
            status: status,
            body: .object([
                "error": .object([
                    "code": .string(messageID), "message": .string(message),
                    "@Message.ExtendedInfo": .array([
                        .object([
                            "MessageId": .string(messageID), "Message": .string(message),
                            "Severity": .string("Warning"),
                        ])
                    ]),
                ])
            ]))
    }
}

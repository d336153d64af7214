import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store
import WorkflowEngine

/// An RFC 9457 problem: what went wrong for a person to act on, returned as `application/problem+json`.
public struct ProblemDetails: Error, Sendable, Codable, Equatable {
    /// A URI naming the kind of problem (`about:blank` for plain HTTP errors).
    public var type: String
    /// A short summary of the kind.
    public var title: String
    /// The HTTP status.
    public var status: Int
    /// What happened this time.
    public var detail: String
    /// The request path.
    public var instance: String?
    /// Seconds after which a retry may succeed (sent as `Retry-After`, not in the body).
    public var retryAfter: Int?

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, instance
    }

    /// A problem with `status` and `detail`; the title is the status's reason phrase.
    public init(
        _ status: HTTPResponse.Status, _ detail: String, type: String = "about:blank", instance: String? = nil,
        retryAfter: Int? = nil
    ) {
        self.type = type
        title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.instance = instance
        self.retryAfter = retryAfter
    }

    /// The response carrying it.
    public func response() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        // RFC 6750: a refused bearer token says which scheme the route takes.
        if status == 401 { headers[.wwwAuthenticate] = "Bearer realm=\"hwautomation\"" }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// An answer from a BMC: status, the headers that matter to Redfish clients, and the JSON body.
public struct RedfishResponse: Sendable, Hashable {
    /// HTTP status.
    public var status: Int
    /// `ETag` header.
    public var etag: String?
    /// `Location` header (a created session, or a task monitor after 202).
    public var location: String?
    /// `Retry-After` in seconds.
    public var retryAfterSeconds: Int?
    /// `X-Auth-Token` header (session creation).
    public var authToken: String?
    /// The body; `.null` when empty.
    public var body: JSONValue

    /// Creates a response.
    public init(
        status: Int, etag: String? = nil, location: String? = nil, retryAfterSeconds: Int? = nil,
        authToken: String? = nil,
        body: JSONValue = .null
    ) {
        self.status = status
        self.etag = etag
        self.location = location
        self.retryAfterSeconds = retryAfterSeconds
        self.authToken = authToken
        self.body = body
    }

    /// The resource's ETag: the header, else the body's `@odata.etag`.
    public var resourceETag: String? { etag ?? body["@odata.etag"].string }
}

/// What a client has sent to one BMC: the figures request budgets are checked against.
public struct RedfishCounters: Sendable, Hashable, Codable {
    /// Every request sent (retries included).
    public var requests = 0
    /// GETs.
    public var gets = 0
    /// PATCHes.
    public var patches = 0
    /// POSTs (actions and session creation).
    public var posts = 0
    /// DELETEs.
    public var deletes = 0
    /// Sessions created.
    public var sessionsCreated = 0
    /// Sessions deleted.
    public var sessionsDeleted = 0
    /// Requests that ended in an error: an HTTP error status, a timeout or a transport failure (retries included).
    /// Not encoded (reports keep their shape).
    public var errors = 0
    /// Requests by method and path as sent (`GET /redfish/v1/Systems/1`), retries included; empty for a client made
    /// with `countingPaths: false`. Not encoded.
    public var byPath: [String: Int] = [:]

    /// Creates zeroed counters.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case requests, gets, patches, posts, deletes
        case sessionsCreated = "sessions_created"
        case sessionsDeleted = "sessions_deleted"
    }
}

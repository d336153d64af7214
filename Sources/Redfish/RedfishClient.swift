import AsyncHTTPClient
import ChildTasks
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// Talks to one BMC's Redfish service, the way real BMCs need it.
///
/// - Auth: with credentials, a session (POST to the service root's `Links.Sessions`, `X-Auth-Token` reused for every
///   request, re-created once if it expires, DELETEd by `close()`); Basic auth when the service has no sessions, or
///   answers the login with 2xx but no token.
/// - Credentials stay with the BMC's origin (`RedfishOrigin`): redirects (3xx with `Location`) are followed by this
///   client, not by the HTTP library, and only within the origin; an absolute `@odata.id`, session or task `Location`
///   is used only when it names the origin. Anything else — another host, port or scheme, or https→http — is a
///   `.refused` error naming both origins, and nothing is sent there. A base URL with a user or password in it is
///   refused when the client is created.
/// - Absolute paths (`/redfish/v1/...`) resolve against the BMC's origin; relative ones against the base URL.
/// - PATCH sends `If-Match` when the resource has an ETag and, on 412, retries weak→strong, then without; a 428
///   answer fetches the ETag and retries. Actions (POST) never carry `If-Match`.
/// - 202 + `Location` is a task: it is polled (honouring `Retry-After`) until Completed, or an error naming its state.
/// - GET, PATCH and DELETE: 5xx, timeouts, connection failures and the transient vendor states (iDRAC SYS518, iLO
///   InvalidOperationForSystemState) are retried with backoff; every request is counted (`counters`).
/// - POST (actions, firmware pushes, session logins) is never resent blindly: after a lost answer (timeout, reset
///   connection, 5xx) the client asks the BMC whether it acted (`postAction`) and resends only when it did not;
///   when the BMC cannot tell, the error says the outcome is unknown (`RedfishError.outcomeUnknown`).
/// - TLS is verified unless the endpoint says otherwise.
public actor RedfishClient: RedfishDocumentSource {
    /// The BMC.
    public nonisolated let endpoint: RedfishEndpoint
    /// The BMC's origin: the only one credentials are sent to.
    public nonisolated let origin: RedfishOrigin
    /// The process's shared HTTP client for this endpoint's timeouts (`RedfishHTTPClients`).
    private let http: HTTPClient
    /// This BMC's TLS policy, sent with every request (nil for plain http).
    private let tls: TLSConfiguration?
    let logger: Logger
    var counts = RedfishCounters()
    /// Whether `counters.byPath` is kept (`init(endpoint:logger:countingPaths:)`).
    private let countingPaths: Bool
    private var session: (token: String, location: String)?
    private var authResolved = false
    private var root: JSONValue?
    /// Whether this service refused a `$expand` of a single resource (`expanded(_:)` then reads plainly).
    private var refusesExpand = false
    private var closed = false
    /// What was read since the last write (`cached(_:)`).
    private var documents = RedfishDocuments()

    /// Creates a client for `endpoint`, over the process's shared connection pool. `countingPaths: false` keeps only
    /// the totals in `counters` (no `byPath`): a fleet's thousand clients need no per-path table each.
    public init(endpoint: RedfishEndpoint, logger: Logger, countingPaths: Bool = true) throws(RedfishError) {
        try RedfishEndpoint.checkNoCredentials(endpoint.baseURL)
        guard let origin = RedfishOrigin(endpoint.baseURL) else {
            throw RedfishError(
                kind: .refused, bmc: endpoint.host, method: "-", path: "-",
                message: "the BMC URL is not an http(s) URL with a host (https://10.0.0.5)")
        }
        self.endpoint = endpoint
        self.origin = origin
        self.logger = logger
        self.countingPaths = countingPaths
        var tls = TLSConfiguration.makeClientConfiguration()
        switch endpoint.tls {
        case .verify:
            break
        case .insecure:
            tls.certificateVerification = .none
        case .trustRoots(let pemFile), .pinned(let pemFile):
            guard FileManager.default.isReadableFile(atPath: pemFile) else {
                throw RedfishError(
                    kind: .transport, bmc: endpoint.host, method: "-", path: "-",
                    message: "the certificate file \(pemFile) cannot be read")
            }
            // The certificates themselves, not the file's name: the shared pool keys connections by TLS
            // configuration, so a changed pin or CA file is a new key, and never reuses a connection the old one made.
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(pemFile))
            } catch {
                throw RedfishError(
                    kind: .transport, bmc: endpoint.host, method: "-", path: "-",
                    message: "the certificate file \(pemFile) holds no PEM certificate: \(error)")
            }
            if case .pinned = endpoint.tls { tls.certificateVerification = .noHostnameVerification }
        }
        // Plain http (a lab on loopback) carries no TLS configuration: it would only key the pool.
        self.tls = origin.scheme == "https" ? tls : nil
        http = RedfishHTTPClients.client(
            connect: Self.timeAmount(min(endpoint.timeout, .seconds(10))), read: Self.timeAmount(endpoint.timeout))
    }

    /// Requests sent so far (each retry counts).
    public var requestCount: Int { counts.requests }

    /// Everything sent so far, by kind.
    public var counters: RedfishCounters { counts }

    /// Ends the session (DELETE). The connections stay in the process's shared pool (`RedfishHTTPClients`), which
    /// closes them when idle; a client dropped without `close()` leaves its session to expire on the BMC.
    public func close() async {
        guard !closed else { return }
        defer { closed = true }
        if let session {
            self.session = nil
            _ = try? await exchange("DELETE", session.location, body: nil, headers: authHeaders(token: session.token))
            counts.sessionsDeleted += 1
        }
    }

    /// Stops using the client without ending a session (prefer `close()`).
    public func shutdown() async {
        closed = true
    }

    // MARK: Reading

    /// The service root (`/redfish/v1`), read once.
    public func serviceRoot() async throws(RedfishError) -> JSONValue {
        try await authenticate()
        if let root { return root }
        let response = try await send("GET", rootPath, body: nil)
        root = response.body
        return response.body
    }

    /// GETs `path` and parses the JSON answer (the service root is read once).
    public func get(_ path: String) async throws -> JSONValue {
        if path == rootPath { return try await serviceRoot() }
        return try await fetch(path).body
    }

    /// GETs `path`, keeping the headers (ETag): always a fresh read (polls use it), remembered for `cached(_:)`.
    public func fetch(_ path: String) async throws(RedfishError) -> RedfishResponse {
        try await fetch(path, remembering: true)
    }

    /// GETs `path`, keeping the headers; remembered for `cached(_:)` only when `remembering` (a read whose documents
    /// no later step reuses, such as boarding validation's sensors and logs, need not stay in memory for the run).
    public func fetch(_ path: String, remembering: Bool) async throws(RedfishError) -> RedfishResponse {
        let response = try await send("GET", path, body: nil)
        if remembering { documents.remember(response, for: path) }
        return response
    }

    /// Forgets every document read so far: a step that changes the BMC starts from what the BMC shows now (another
    /// run, or a person, may have changed it since this run read it).
    public func forgetDocuments() {
        documents.forget()
    }

    /// Forgets every document read so far except those whose schema (`@odata.type`'s first part) is in `schemas`:
    /// a run that has what it needs from a large read (discovery) keeps only what its next steps read again.
    public func forgetDocuments(keeping schemas: Set<String>) {
        documents.forget(keeping: schemas)
    }

    /// `path` as this client last read it, when it has read it (or found it expanded inside another answer) since
    /// its last write; else a fresh read (`fetch(_:)`). Any PATCH, POST, PUT or DELETE through this client forgets
    /// everything read before it. For reads whose answer cannot have changed within one run: the inventory, the
    /// BIOS resource between plan and apply; never for polls.
    public func cached(_ path: String) async throws(RedfishError) -> RedfishResponse {
        if path == rootPath { return RedfishResponse(status: 200, body: try await serviceRoot()) }
        if let known = documents.answer(for: path) { return known }
        return try await fetch(path)
    }

    /// The members of the collection the service root links as `name` (`Systems`, `Managers`, `Chassis`), read
    /// with `collection(_:)`.
    public func members(of name: String) async throws(RedfishError) -> [String] {
        guard let path = try await serviceRoot()[name]["@odata.id"].string else {
            throw RedfishError(
                kind: .invalidResponse, bmc: endpoint.host, method: "GET", path: rootPath,
                message: "the service root has no \(name) link")
        }
        return try await collection(path).body["Members"].array.compactMap { $0["@odata.id"].string }
    }

    /// The collection at `path` through `cached(_:)`: already read, else expanded where the service may (as
    /// `expanded(_:keeping:)` decides: the root's `ExpandQuery` when this client has read the root, else asked) — its
    /// members are then remembered for whoever reads them next — else read plainly (also when the expanded read fails:
    /// some services refuse `$expand` although they advertise it; a refusal the plain read confirms is remembered).
    public func collection(_ path: String) async throws(RedfishError) -> RedfishResponse {
        if let known = documents.answer(for: path) { return known }
        let mayExpand = root.map(Self.expands) ?? true
        guard mayExpand, !refusesExpand else { return try await cached(path) }
        let refusal: RedfishError
        do {
            return try await cached(path + (path.contains("?") ? "&" : "?") + "$expand=.($levels=1)")
        } catch {
            refusal = error
        }
        let plain = try await cached(path)
        if [400, 404, 501].contains(refusal.status) { refusesExpand = true }
        return plain
    }

    /// The path of the service root's link `name` (`Systems`, `Managers`, `Chassis`, `Registries`): the root's own
    /// link when this client has read the root, else the URI the schemas fix for it (their `Redfish.Uris`:
    /// `/redfish/v1/Registries` for `MessageRegistryFileCollection`), without reading the root; a service that puts
    /// it elsewhere answers 404 there, and the caller then reads the root (`serviceRoot()`).
    public func standardLink(_ name: String) -> String {
        root?[name]["@odata.id"].string ?? rootPath + "/" + name
    }

    /// The resource at `path` through `cached(_:)`, its subordinate resources expanded one level
    /// (`$expand=.($levels=1)`, DSP0266's query parameters) when the service may expand: the service root, when this
    /// client has read it, says so (`expands(_:)`); when it has not (Basic auth reads no root), the expansion is
    /// asked for and a refusal (400, 501: DSP0266's answer to a query it does not support) reads the resource plainly
    /// and is remembered; a 404 is asked again without the query (some services answer an expansion so), and when that
    /// plain read finds the resource the refusal is remembered too. The answer is returned whole; remembered are the
    /// resource as a plain read shows it (under `path`) and each expanded subordinate whose schema is in `kept` (nil:
    /// every one) under its own `@odata.id`: a system read so, keeping `Bios`, gives its Bios without another
    /// request. A service that ignores the query answers the plain resource.
    public func expanded(_ path: String, keeping kept: Set<String>? = nil) async throws(RedfishError)
        -> RedfishResponse
    {
        if let known = documents.answer(for: path) { return known }
        let mayExpand = root.map(Self.expands) ?? true
        guard mayExpand, !refusesExpand, !path.contains("?") else { return try await cached(path) }
        do {
            let response = try await fetch(path + "?$expand=.($levels=1)", remembering: false)
            documents.remember(expanded: response, for: path, keeping: kept)
            return response
        } catch  where error.status == 400 || error.status == 501 {
            refusesExpand = true
            return try await cached(path)
        } catch  where error.status == 404 {
            // Some services answer an expansion they do not do with 404: the plain read tells whether it is there
            // (and, when it is, that the query was what they did not know).
            let plain = try await cached(path)
            refusesExpand = true
            return plain
        }
    }

    /// Whether a service root advertises `$expand` of subordinate resources (`ExpandQuery.ExpandAll` or `NoLinks`).
    public static func expands(_ root: JSONValue) -> Bool {
        let expand = root["ProtocolFeaturesSupported"]["ExpandQuery"]
        return expand["ExpandAll"].bool == true || expand["NoLinks"].bool == true
    }

    // MARK: Writing

    /// PATCHes `path` with `body`, handling ETags as real BMCs need (see the type's documentation).
    public func patch(_ path: String, _ body: JSONValue, etag: String? = nil) async throws(RedfishError)
        -> RedfishResponse
    {
        var candidates: [String?] = [nil]
        if let etag {
            candidates = [etag]
            if etag.hasPrefix("W/") { candidates.append(String(etag.dropFirst(2))) }
            candidates.append(nil)
        }
        var fetchedForPrecondition = false
        var index = 0
        while index < candidates.count {
            let candidate = candidates[index]
            do {
                return try await send(
                    "PATCH", path, body: body, extraHeaders: candidate.map { ["If-Match": $0] } ?? [:])
            } catch let error where error.status == 412 && index + 1 < candidates.count {
                logger.debug("412 on PATCH; retrying with the next ETag form", metadata: ["path": "\(path)"])
                index += 1
            } catch let error where error.status == 428 && candidate == nil && !fetchedForPrecondition {
                fetchedForPrecondition = true
                guard let current = try await fetch(path).resourceETag else { throw error }
                candidates = [current, nil]
                index = 0
            }
        }
        throw RedfishError(
            kind: .http, bmc: endpoint.host, method: "PATCH", path: path, status: 412,
            message: "every If-Match form was refused")
    }

    /// POSTs an action (never with `If-Match`); a 202 answer is followed as a task until it ends.
    public func action(_ path: String, _ body: JSONValue = .object([:])) async throws(RedfishError) -> RedfishResponse {
        let response = try await postAction(path, body: body, check: try await lostAnswerCheck(path, body: body))
        guard response.status == 202, let monitor = response.location else { return response }
        return try await waitForTask(monitor)
    }

    /// Polls a task monitor until the task ends; Completed (or CompletedWithWarnings) returns the last answer.
    /// `progress` hears each poll's `PercentComplete` (when the task gives one) and state.
    public func waitForTask(
        _ monitor: String, progress: (@Sendable (_ percent: Int?, _ state: String) async -> Void)? = nil
    ) async throws(RedfishError) -> RedfishResponse {
        let deadline = ContinuousClock.now + endpoint.taskTimeout
        while true {
            let response = try await send("GET", monitor, body: nil)
            let state = response.body["TaskState"].string
            if let progress {
                await progress(response.body["PercentComplete"].int, state ?? "Unknown")
            }
            switch state {
            case "Completed", "CompletedWithWarnings":
                return response
            case "Exception", "Killed", "Cancelled", "Interrupted":
                let messages = response.body["Messages"].array.compactMap { $0["Message"].string }
                throw RedfishError(
                    kind: .http, bmc: endpoint.host, method: "GET", path: monitor, status: response.status,
                    message: "the task ended \(state!)", extendedInfo: messages)
            default:
                if response.status != 202 && state == nil { return response }
            }
            guard ContinuousClock.now < deadline else {
                throw RedfishError(
                    kind: .timeout, bmc: endpoint.host, method: "GET", path: monitor,
                    message: "the task did not finish within \(endpoint.taskTimeout) (state \(state ?? "unknown"))")
            }
            let wait = Duration.seconds(response.retryAfterSeconds ?? 1)
            try? await Task.sleep(for: min(wait, endpoint.maxTaskPoll))
        }
    }

    /// DELETEs `path`.
    public func delete(_ path: String) async throws(RedfishError) {
        _ = try await send("DELETE", path, body: nil)
    }

    // MARK: Auth and transport

    /// The service root's path: the base URL's path followed by `/redfish/v1`.
    public nonisolated var serviceRootPath: String { rootPath }

    private nonisolated var rootPath: String {
        var path = endpoint.baseURL.path
        while path.hasSuffix("/") { path.removeLast() }
        return path + "/redfish/v1"
    }

    /// Decides between a session and Basic auth, once.
    private func authenticate() async throws(RedfishError) {
        guard !authResolved else { return }
        authResolved = true
        guard endpoint.preferSessions, let user = endpoint.username, let password = endpoint.password else { return }
        // The service root is readable without credentials (Redfish spec); it names the sessions collection.
        let rootResponse = try await exchangeWithRetry("GET", rootPath, body: nil, headers: [:])
        root = rootResponse.body
        guard let sessions = rootResponse.body["Links"]["Sessions"]["@odata.id"].string else { return }
        do throws(RedfishError) {
            let response = try await login(sessions, user: user, password: password)
            counts.sessionsCreated += 1
            guard let token = response.authToken else {
                await abandonTokenlessSession(response, sessions: sessions)
                return
            }
            session = (token, response.location ?? response.body["@odata.id"].string ?? sessions)
            logger.debug("session created", metadata: ["bmc": "\(endpoint.host)"])
        } catch let error where [404, 405, 501].contains(error.status ?? 0) {
            logger.debug("no usable SessionService; using Basic auth", metadata: ["bmc": "\(endpoint.host)"])
        }
    }

    func authHeaders(token: String? = nil) -> [String: String] {
        if let token = token ?? session?.token { return ["X-Auth-Token": token] }
        if let user = endpoint.username, let password = endpoint.password {
            return ["Authorization": "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
        }
        return [:]
    }

    /// Sends with auth; a 401 on an expired session re-creates it once.
    /// `attempts` bounds the tries (default: the endpoint's); a POST action sends with 1 (see `postAction`).
    func send(
        _ method: String, _ path: String, body: JSONValue?, raw: RawBody? = nil, extraHeaders: [String: String] = [:],
        attempts: Int? = nil
    ) async throws(RedfishError) -> RedfishResponse {
        try await authenticate()
        // A write may change anything read before it, even when its answer is lost.
        if method != "GET" && method != "HEAD" { documents.forget() }
        let attempts = attempts ?? endpoint.attempts
        do {
            return try await exchangeWithRetry(
                method, path, body: body, raw: raw, headers: authHeaders().merging(extraHeaders) { $1 },
                attempts: attempts)
        } catch let error where error.status == 401 && session != nil {
            session = nil
            authResolved = false
            try await authenticate()
            return try await exchangeWithRetry(
                method, path, body: body, raw: raw, headers: authHeaders().merging(extraHeaders) { $1 },
                attempts: attempts)
        }
    }

    /// A body that is not JSON (a multipart firmware push).
    struct RawBody: Sendable {
        var data: Data
        var contentType: String
    }

    func exchangeWithRetry(
        _ method: String, _ path: String, body: JSONValue?, raw: RawBody? = nil, headers: [String: String],
        attempts: Int? = nil
    ) async throws(RedfishError) -> RedfishResponse {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await exchange(method, path, body: body, raw: raw, headers: headers)
            } catch let error where attempt < (attempts ?? endpoint.attempts) && error.isTransient {
                logger.debug(
                    "retrying",
                    metadata: [
                        "bmc": "\(endpoint.host)", "path": "\(path)", "attempt": "\(attempt)", "error": "\(error)",
                    ])
                try? await Task.sleep(for: .milliseconds(100 * (1 << (attempt - 1))))
            }
        }
    }

    /// Redirect statuses `exchange` follows (within the origin).
    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    /// Redirects followed for one request at most.
    static let maxRedirects = 5

    func exchange(
        _ method: String, _ path: String, body: JSONValue?, raw: RawBody? = nil, headers: [String: String]
    ) async throws(RedfishError) -> RedfishResponse {
        var url = try resolve(path, method: method)
        var method = method
        var body = body
        var raw = raw
        var visited: Set<String> = [url]
        while true {
            let (status, responseHeaders, data) = try await transfer(
                method, url, path: path, body: body, raw: raw, headers: headers)
            if Self.redirectStatuses.contains(status), let location = responseHeaders.first(name: "Location") {
                let next = try redirectTarget(location, from: url, status: status, method: method, path: path)
                guard visited.count <= Self.maxRedirects, visited.insert(next).inserted else {
                    counts.errors += 1
                    throw RedfishError(
                        kind: .invalidResponse, bmc: endpoint.host, method: method, path: path, status: status,
                        message: "the BMC redirects in a loop or more than \(Self.maxRedirects) times")
                }
                // As browsers and the HTTP library do: 303 (and 301/302 after a POST) continue as a GET without body.
                if (status == 303 && method != "HEAD") || ([301, 302].contains(status) && method == "POST") {
                    method = "GET"
                    body = nil
                    raw = nil
                }
                logger.debug(
                    "following a same-origin redirect", metadata: ["bmc": "\(endpoint.host)", "status": "\(status)"])
                url = next
                continue
            }
            return try answer(method, path: path, status: status, headers: responseHeaders, data: data)
        }
    }

    /// Sends `request` and collects the answer, in a child task (`ChildTask`): AsyncHTTPClient's async frames are
    /// several KB, and run in the caller's task they would stay with a workflow step through its waits.
    private static func perform(
        _ request: HTTPClientRequest, on http: HTTPClient, timeout: TimeAmount, logger: Logger
    ) async throws -> (Int, HTTPHeaders, Data) {
        try await ChildTask.run {
            let response = try await http.execute(request, timeout: timeout, logger: logger)
            let bytes = try await response.body.collect(upTo: 32 * 1024 * 1024)
            return (Int(response.status.code), response.headers, Data(bytes.readableBytesView))
        }
    }

    /// Sends one request to `url` (already checked to be the BMC's origin) and collects the answer.
    private func transfer(
        _ method: String, _ url: String, path: String, body: JSONValue?, raw: RawBody?, headers: [String: String]
    ) async throws(RedfishError) -> (Int, HTTPHeaders, Data) {
        var request = HTTPClientRequest(url: url)
        request.tlsConfiguration = tls
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "OData-Version", value: "4.0")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            let data = body.encoded()
            request.body = .bytes(ByteBuffer(bytes: data))
        } else if let raw {
            request.headers.add(name: "Content-Type", value: raw.contentType)
            request.body = .bytes(ByteBuffer(bytes: raw.data))
        }
        counts.requests += 1
        if countingPaths { counts.byPath[method + " " + path, default: 0] += 1 }
        switch method {
        case "GET": counts.gets += 1
        case "PATCH": counts.patches += 1
        case "POST": counts.posts += 1
        case "DELETE": counts.deletes += 1
        default: break
        }
        do {
            return try await Self.perform(request, on: http, timeout: Self.timeAmount(endpoint.timeout), logger: logger)
        } catch let error as HTTPClientError
            where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout
        {
            counts.errors += 1
            throw RedfishError(
                kind: .timeout, bmc: endpoint.host, method: method, path: path,
                message: "no answer within \(endpoint.timeout)")
        } catch {
            counts.errors += 1
            throw RedfishError(
                kind: .transport, bmc: endpoint.host, method: method, path: path, message: Self.describe(error))
        }
    }

    /// An answer as a response, or the error its status means.
    private func answer(
        _ method: String, path: String, status: Int, headers responseHeaders: HTTPHeaders, data: Data
    ) throws(RedfishError) -> RedfishResponse {
        guard (200..<300).contains(status) else {
            counts.errors += 1
            let info = Self.extendedInfo(data)
            let kind: RedfishError.Kind = status == 401 || status == 403 ? .unauthorized : .http
            let message: String
            switch status {
            case 401: message = "the BMC refused the credentials"
            case 403: message = "the user may not do this"
            case 404: message = "no such resource"
            case 412: message = "the resource changed (If-Match did not match)"
            default: message = info.summary ?? "the request failed"
            }
            throw RedfishError(
                kind: kind, bmc: endpoint.host, method: method, path: path, status: status, message: message,
                extendedInfo: info.messages)
        }
        var document: JSONValue = .null
        if !data.isEmpty {
            do throws(JSONValue.ParseError) {
                document = try JSONValue.parse(data)
            } catch {
                let preview = String(decoding: data.prefix(80), as: UTF8.self)
                throw RedfishError(
                    kind: .invalidResponse, bmc: endpoint.host, method: method, path: path, status: status,
                    message: "the answer is not JSON (\(error.reason)); it starts with \(preview.debugDescription)")
            }
        }
        return RedfishResponse(
            status: status, etag: responseHeaders.first(name: "ETag"),
            location: responseHeaders.first(name: "Location"),
            retryAfterSeconds: responseHeaders.first(name: "Retry-After").flatMap { Int($0) },
            authToken: responseHeaders.first(name: "X-Auth-Token"), body: document)
    }

    /// The URL for `path`: absolute paths against the BMC's origin, relative ones against the base URL; an absolute
    /// URL (a link or `Location` the BMC gave) only when it is the BMC's origin, else `.refused` naming both.
    private func resolve(_ path: String, method: String) throws(RedfishError) -> String {
        if path.lowercased().hasPrefix("http://") || path.lowercased().hasPrefix("https://") {
            guard let url = URL(string: path), let target = RedfishOrigin(url) else {
                throw RedfishError(
                    kind: .invalidResponse, bmc: endpoint.host, method: method, path: path,
                    message: "the link is not a usable URL")
            }
            try check(target, method: method, path: path, what: "the link")
            return path
        }
        if path.hasPrefix("/") { return baseOrigin + path }
        return baseOrigin + rootPath.dropLast("/redfish/v1".count) + "/" + path
    }

    /// `scheme://host[:port]` as the base URL gives it (a port only when it names one).
    private nonisolated var baseOrigin: String {
        let host = origin.host.contains(":") ? "[\(origin.host)]" : origin.host
        return "\(origin.scheme)://\(host)" + (endpoint.baseURL.port.map { ":\($0)" } ?? "")
    }

    /// The absolute URL a redirect's `Location` names (relative to the request's URL), when it is the BMC's origin.
    private func redirectTarget(_ location: String, from url: String, status: Int, method: String, path: String)
        throws(RedfishError) -> String
    {
        guard let base = URL(string: url), let next = URL(string: location, relativeTo: base)?.absoluteURL,
            let target = RedfishOrigin(next)
        else {
            counts.errors += 1
            throw RedfishError(
                kind: .invalidResponse, bmc: endpoint.host, method: method, path: path, status: status,
                message: "the BMC redirected to a Location that is not an http(s) URL")
        }
        do throws(RedfishError) {
            try check(target, method: method, path: path, what: "the BMC's redirect (HTTP \(status))", status: status)
        } catch {
            counts.errors += 1
            throw error
        }
        return next.absoluteString
    }

    /// Throws `.refused` naming both origins unless `target` is the BMC's origin.
    private func check(_ target: RedfishOrigin, method: String, path: String, what: String, status: Int? = nil)
        throws(RedfishError)
    {
        let reason: String
        switch origin.decide(target) {
        case .sameOrigin: return
        case .downgrade:
            reason =
                "\(what) goes to \(target), from https down to http (the BMC is \(origin)); a downgrade is never "
                + "followed"
        case .otherOrigin:
            reason =
                "\(what) goes to \(target), another origin than the BMC's \(origin); it is not followed, so the "
                + "BMC's credentials are not sent there (check the BMC's configuration, or give that URL as the BMC)"
        }
        logger.warning("refused a request to another origin", metadata: ["bmc": "\(origin)", "target": "\(target)"])
        throw RedfishError(
            kind: .refused, bmc: endpoint.host, method: method, path: path, status: status, message: reason)
    }

    /// The `error.@Message.ExtendedInfo` messages of a Redfish error body, and the top-level message.
    static func extendedInfo(_ data: Data) -> (summary: String?, messages: [String]) {
        guard let document = try? JSONValue.parse(data) else { return (nil, []) }
        let error = document["error"]
        let messages = error["@Message.ExtendedInfo"].array.compactMap { info -> String? in
            guard let message = info["Message"].string else { return nil }
            return info["MessageId"].string.map { "\($0): \(message)" } ?? message
        }
        return (error["message"].string, messages)
    }

    static func describe(_ error: any Error) -> String {
        if error is NIOSSLError || error is BoringSSLError {
            return "TLS failure (certificate not trusted, or changed since it was pinned? give the BMC's CA file, "
                + "remove its pin if the change is expected, or --insecure for this BMC): \(error)"
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("handshakeFailed") || text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "TLS certificate not trusted (give the BMC's CA file, or --insecure for this BMC): \(text)"
        }
        return text
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

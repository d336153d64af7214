import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// Talks to one BMC's Redfish service, the way real BMCs need it.
///
/// - Auth: with credentials, a session (POST to the service root's `Links.Sessions`, `X-Auth-Token` reused for every
///   request, re-created once if it expires, DELETEd by `close()`); Basic auth when the service has no sessions.
/// - Redirects are followed; absolute `@odata.id` paths resolve against the BMC's origin.
/// - PATCH sends `If-Match` when the resource has an ETag and, on 412, retries weak→strong, then without; a 428
///   answer fetches the ETag and retries. Actions (POST) never carry `If-Match`.
/// - 202 + `Location` is a task: it is polled (honouring `Retry-After`) until Completed, or an error naming its state.
/// - 5xx, timeouts, connection failures and the transient vendor states (iDRAC SYS518, iLO
///   InvalidOperationForSystemState) are retried with backoff; every request is counted (`counters`).
/// - TLS is verified unless the endpoint says otherwise.
public actor RedfishClient: RedfishDocumentSource {
    /// The BMC.
    public nonisolated let endpoint: RedfishEndpoint
    private let http: HTTPClient
    private let logger: Logger
    private var counts = RedfishCounters()
    private var session: (token: String, location: String)?
    private var authResolved = false
    private var root: JSONValue?
    private var closed = false

    /// Creates a client for `endpoint`; it owns an HTTP client until `close()` or `shutdown()`.
    public init(endpoint: RedfishEndpoint, logger: Logger) throws(RedfishError) {
        self.endpoint = endpoint
        self.logger = logger
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
            tls.trustRoots = .file(pemFile)
            if case .pinned = endpoint.tls { tls.certificateVerification = .noHostnameVerification }
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .follow(max: 5, allowCycles: false),
            timeout: .init(
                connect: Self.timeAmount(min(endpoint.timeout, .seconds(10))), read: Self.timeAmount(endpoint.timeout)))
        // A refused connection or an untrusted certificate fails at once; our own retry loop decides what to retry.
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Requests sent so far (each retry counts).
    public var requestCount: Int { counts.requests }

    /// Everything sent so far, by kind.
    public var counters: RedfishCounters { counts }

    deinit {
        // A client dropped without close() (a thrown error) still releases its connections; its session, if any,
        // expires on the BMC.
        if !closed { http.shutdown { _ in } }
    }

    /// Ends the session (DELETE), then closes the connections.
    public func close() async {
        guard !closed else { return }
        defer { closed = true }
        if let session {
            self.session = nil
            _ = try? await exchange("DELETE", session.location, body: nil, headers: authHeaders(token: session.token))
            counts.sessionsDeleted += 1
        }
        try? await http.shutdown()
    }

    /// Closes the connections without ending a session (prefer `close()`).
    public func shutdown() async {
        guard !closed else { return }
        closed = true
        try? await http.shutdown()
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

    /// GETs `path`, keeping the headers (ETag).
    public func fetch(_ path: String) async throws(RedfishError) -> RedfishResponse {
        try await send("GET", path, body: nil)
    }

    /// The members of the collection the service root links as `name` (`Systems`, `Managers`, `Chassis`).
    public func members(of name: String) async throws(RedfishError) -> [String] {
        let root = try await serviceRoot()
        guard let collection = root[name]["@odata.id"].string else {
            throw RedfishError(
                kind: .invalidResponse, bmc: endpoint.host, method: "GET", path: rootPath,
                message: "the service root has no \(name) link")
        }
        return try await fetch(collection).body["Members"].array.compactMap { $0["@odata.id"].string }
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
        let response = try await send("POST", path, body: body)
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
        let credentials: JSONValue = .object(["UserName": .string(user), "Password": .string(password)])
        do throws(RedfishError) {
            let response = try await exchangeWithRetry("POST", sessions, body: credentials, headers: [:])
            counts.sessionsCreated += 1
            guard let token = response.authToken else {
                throw RedfishError(
                    kind: .invalidResponse, bmc: endpoint.host, method: "POST", path: sessions,
                    message: "the session was created without an X-Auth-Token")
            }
            session = (token, response.location ?? response.body["@odata.id"].string ?? sessions)
            logger.debug("session created", metadata: ["bmc": "\(endpoint.host)"])
        } catch let error where [404, 405, 501].contains(error.status ?? 0) {
            logger.debug("no usable SessionService; using Basic auth", metadata: ["bmc": "\(endpoint.host)"])
        }
    }

    private func authHeaders(token: String? = nil) -> [String: String] {
        if let token = token ?? session?.token { return ["X-Auth-Token": token] }
        if let user = endpoint.username, let password = endpoint.password {
            return ["Authorization": "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
        }
        return [:]
    }

    /// Sends with auth; a 401 on an expired session re-creates it once.
    func send(
        _ method: String, _ path: String, body: JSONValue?, raw: RawBody? = nil, extraHeaders: [String: String] = [:]
    ) async throws(RedfishError) -> RedfishResponse {
        try await authenticate()
        do {
            return try await exchangeWithRetry(
                method, path, body: body, raw: raw, headers: authHeaders().merging(extraHeaders) { $1 })
        } catch let error where error.status == 401 && session != nil {
            session = nil
            authResolved = false
            try await authenticate()
            return try await exchangeWithRetry(
                method, path, body: body, raw: raw, headers: authHeaders().merging(extraHeaders) { $1 })
        }
    }

    /// A body that is not JSON (a multipart firmware push).
    struct RawBody: Sendable {
        var data: Data
        var contentType: String
    }

    private func exchangeWithRetry(
        _ method: String, _ path: String, body: JSONValue?, raw: RawBody? = nil, headers: [String: String]
    ) async throws(RedfishError) -> RedfishResponse {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await exchange(method, path, body: body, raw: raw, headers: headers)
            } catch let error where attempt < endpoint.attempts && Self.isTransient(error) {
                logger.debug(
                    "retrying",
                    metadata: [
                        "bmc": "\(endpoint.host)", "path": "\(path)", "attempt": "\(attempt)", "error": "\(error)",
                    ])
                try? await Task.sleep(for: .milliseconds(100 * (1 << (attempt - 1))))
            }
        }
    }

    private func exchange(
        _ method: String, _ path: String, body: JSONValue?, raw: RawBody? = nil, headers: [String: String]
    ) async throws(RedfishError) -> RedfishResponse {
        var request = HTTPClientRequest(url: resolve(path))
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "OData-Version", value: "4.0")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            let data = (try? JSONEncoder().encode(body)) ?? Data("{}".utf8)
            request.body = .bytes(ByteBuffer(bytes: data))
        } else if let raw {
            request.headers.add(name: "Content-Type", value: raw.contentType)
            request.body = .bytes(ByteBuffer(bytes: raw.data))
        }
        counts.requests += 1
        switch method {
        case "GET": counts.gets += 1
        case "PATCH": counts.patches += 1
        case "POST": counts.posts += 1
        case "DELETE": counts.deletes += 1
        default: break
        }
        let status: Int
        let responseHeaders: HTTPHeaders
        let bytes: ByteBuffer
        do {
            let response = try await http.execute(request, timeout: Self.timeAmount(endpoint.timeout), logger: logger)
            status = Int(response.status.code)
            responseHeaders = response.headers
            bytes = try await response.body.collect(upTo: 32 * 1024 * 1024)
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
        let data = Data(bytes.readableBytesView)
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

    /// Absolute URLs as they are; absolute paths against the BMC's origin; relative paths against the base URL.
    private func resolve(_ path: String) -> String {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        var origin = "\(endpoint.baseURL.scheme ?? "https")://\(endpoint.baseURL.host ?? "")"
        if let port = endpoint.baseURL.port { origin += ":\(port)" }
        if path.hasPrefix("/") { return origin + path }
        return origin + rootPath.dropLast("/redfish/v1".count) + "/" + path
    }

    /// 5xx, timeouts, connection failures and known transient vendor states are worth another try.
    static func isTransient(_ error: RedfishError) -> Bool {
        if error.extendedInfo.contains(where: { $0.contains("SYS518") || $0.contains("InvalidOperationForSystemState") }
        ) {
            return true
        }
        switch error.kind {
        case .transport, .timeout: return true
        case .http: return (error.status ?? 0) >= 500
        case .invalidResponse, .unauthorized: return false
        }
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

import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// Talks to one BMC's Redfish service.
///
/// This is the read side (GET with Basic auth, redirects followed, retries with backoff on 5xx and connection
/// errors, per-request timeouts, TLS verified unless the endpoint says otherwise); every request is counted.
/// Call `shutdown()` when done.
public actor RedfishClient: RedfishDocumentSource {
    /// The BMC.
    public nonisolated let endpoint: RedfishEndpoint
    private let http: HTTPClient
    private let logger: Logger
    private var requests = 0

    /// Creates a client for `endpoint`; it owns an HTTP client until `shutdown()`.
    public init(endpoint: RedfishEndpoint, logger: Logger) throws(RedfishError) {
        self.endpoint = endpoint
        self.logger = logger
        var tls = TLSConfiguration.makeClientConfiguration()
        switch endpoint.tls {
        case .verify:
            break
        case .insecure:
            tls.certificateVerification = .none
        case .trustRoots(let pemFile):
            guard FileManager.default.isReadableFile(atPath: pemFile) else {
                throw RedfishError(
                    kind: .transport, bmc: endpoint.host, method: "-", path: "-",
                    message: "the CA file \(pemFile) cannot be read")
            }
            tls.trustRoots = .file(pemFile)
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
    public var requestCount: Int { requests }

    /// Closes the connections.
    public func shutdown() async {
        try? await http.shutdown()
    }

    /// GETs `path` and parses the JSON answer.
    public func get(_ path: String) async throws -> JSONValue {
        try await send("GET", path)
    }

    private func send(_ method: String, _ path: String) async throws(RedfishError) -> JSONValue {
        let url = resolve(path)
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await once(method, path: path, url: url)
            } catch let error where attempt < endpoint.attempts && Self.isTransient(error) {
                logger.debug(
                    "retrying",
                    metadata: [
                        "bmc": "\(endpoint.host)", "path": "\(path)", "attempt": "\(attempt)", "error": "\(error)",
                    ])
                try? await Task.sleep(for: .milliseconds(250 * (1 << (attempt - 1))))
            }
        }
    }

    private func once(_ method: String, path: String, url: String) async throws(RedfishError) -> JSONValue {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "OData-Version", value: "4.0")
        if let user = endpoint.username, let password = endpoint.password {
            let token = Data("\(user):\(password)".utf8).base64EncodedString()
            request.headers.add(name: "Authorization", value: "Basic \(token)")
        }
        requests += 1
        let status: Int
        let body: ByteBuffer
        do {
            let response = try await http.execute(request, timeout: Self.timeAmount(endpoint.timeout), logger: logger)
            status = Int(response.status.code)
            body = try await response.body.collect(upTo: 32 * 1024 * 1024)
        } catch let error as HTTPClientError
            where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout
        {
            throw RedfishError(
                kind: .timeout, bmc: endpoint.host, method: method, path: path,
                message: "no answer within \(endpoint.timeout)")
        } catch {
            throw RedfishError(
                kind: .transport, bmc: endpoint.host, method: method, path: path, message: Self.describe(error))
        }
        let data = Data(body.readableBytesView)
        guard (200..<300).contains(status) else {
            let info = Self.extendedInfo(data)
            let kind: RedfishError.Kind = status == 401 || status == 403 ? .unauthorized : .http
            let message: String
            switch status {
            case 401: message = "the BMC refused the credentials"
            case 403: message = "the user may not do this"
            case 404: message = "no such resource"
            default: message = info.summary ?? "the request failed"
            }
            throw RedfishError(
                kind: kind, bmc: endpoint.host, method: method, path: path, status: status, message: message,
                extendedInfo: info.messages)
        }
        guard !data.isEmpty else { return .null }
        do throws(JSONValue.ParseError) {
            return try JSONValue.parse(data)
        } catch {
            let preview = String(decoding: data.prefix(80), as: UTF8.self)
            throw RedfishError(
                kind: .invalidResponse, bmc: endpoint.host, method: method, path: path, status: status,
                message: "the answer is not JSON (\(error.reason)); it starts with \(preview.debugDescription)")
        }
    }

    private func resolve(_ path: String) -> String {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        var base = endpoint.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// 5xx, timeouts and connection failures are worth another try; 4xx and bad JSON are not.
    static func isTransient(_ error: RedfishError) -> Bool {
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
        if let ssl = error as? NIOSSLError { return "TLS failure: \(ssl)" }
        if let ssl = error as? BoringSSLError {
            return "TLS failure (certificate not trusted? use a CA file, or --insecure for this BMC): \(ssl)"
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

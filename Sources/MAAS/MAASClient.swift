import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// A MAAS API 2.0 client: OAuth1 PLAINTEXT signed requests, form-encoded bodies, `op=` operations, timeouts, and
/// errors carrying MAAS's response text.
public actor MAASClient {
    /// The region.
    public nonisolated let endpoint: MAASEndpoint
    private let http: HTTPClient
    private let logger: Logger
    private var closed = false

    /// A client for `endpoint`; `shutdown()` releases its connections.
    public init(endpoint: MAASEndpoint, logger: Logger) {
        self.endpoint = endpoint
        self.logger = logger
        var tls = TLSConfiguration.makeClientConfiguration()
        if !endpoint.verifyTLS { tls.certificateVerification = .none }
        if let caFile = endpoint.caFile { tls.trustRoots = .file(caFile) }
        let seconds = Int64(endpoint.timeout.components.seconds)
        http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                tlsConfiguration: tls,
                timeout: .init(connect: .seconds(min(seconds, 10)), read: .seconds(max(seconds, 1)))))
    }

    deinit {
        // A client dropped without shutdown() (a thrown error) still releases its connections.
        if !closed { http.shutdown { _ in } }
    }

    /// Closes the connections.
    public func shutdown() async {
        guard !closed else { return }
        closed = true
        try? await http.shutdown()
    }

    // MARK: Requests

    /// `application/x-www-form-urlencoded` for `fields` (repeated keys for arrays), in the given order.
    public static func formBody(_ fields: [(String, String)]) -> String {
        fields.map { "\(MAASEndpoint.percentEncode($0.0))=\(MAASEndpoint.percentEncode($0.1))" }.joined(separator: "&")
    }

    /// GET `path` (below the API base) with `query`; the body as bytes.
    public func get(_ path: String, query: [(String, String)] = []) async throws(MAASError) -> Data {
        try await send("GET", path, query: query, form: nil)
    }

    /// POST `op` to `path` with `form`.
    public func post(_ path: String, op: String?, form: [(String, String)] = []) async throws(MAASError) -> Data {
        try await send("POST", path, query: op.map { [("op", $0)] } ?? [], form: form)
    }

    /// PUT `fields` to `path` (a resource update, e.g. a machine's `description`).
    public func put(_ path: String, form: [(String, String)]) async throws(MAASError) -> Data {
        try await send("PUT", path, query: [], form: form)
    }

    private func send(_ method: String, _ path: String, query: [(String, String)], form: [(String, String)]?)
        async throws(MAASError) -> Data
    {
        let shown = path + (query.isEmpty ? "" : "?" + Self.formBody(query))
        guard let url = URL(string: shown, relativeTo: endpoint.baseURL) else {
            throw MAASError(kind: .configuration, method: method, path: shown, status: nil, message: "not a URL")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(
            name: "Authorization",
            value: endpoint.authorization(
                nonce: UUID().uuidString.lowercased(), timestamp: Int(Date().timeIntervalSince1970)))
        request.headers.add(name: "Accept", value: "application/json")
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: Self.formBody(form)))
        }
        let status: Int
        let bytes: ByteBuffer
        do {
            let response = try await http.execute(
                request, timeout: .seconds(Int64(endpoint.timeout.components.seconds)), logger: logger)
            status = Int(response.status.code)
            bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw MAASError(
                kind: .timeout, method: method, path: shown, status: nil,
                message: "\(endpoint.baseURL.host ?? "MAAS") did not answer within \(endpoint.timeout)")
        } catch {
            throw MAASError(kind: .transport, method: method, path: shown, status: nil, message: "\(error)")
        }
        let data = Data(bytes.readableBytesView)
        guard (200..<300).contains(status) else {
            let text = String(decoding: data.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw MAASError(
                kind: status == 401 || status == 403 ? .unauthorized : .http, method: method, path: shown,
                status: status,
                message: status == 401 ? "the API key was refused (\(text))" : text.isEmpty ? "no message" : text)
        }
        return data
    }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data, method: String, path: String) throws(MAASError) -> T {
        try Self.decode(type, from: data, method: method, path: path)
    }
}

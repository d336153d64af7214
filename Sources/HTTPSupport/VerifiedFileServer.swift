import Foundation
import Hummingbird
import Logging

/// An HTTP file server that publishes only the files a `resolve` function names, each checked when asked for:
/// `GET /<prefix>/<name…>` answers the file `resolve(name)` returns, 404 when it returns nil, 409 when it throws
/// (the file no longer matches what was recorded). Used for firmware images that BMCs fetch by `ImageURI`.
public struct VerifiedFileServer: Sendable {
    /// The first path segment served (`firmware`).
    public let prefix: String
    private let resolve: @Sendable (String) throws -> URL?
    private let logger: Logger

    /// A server of the files `resolve` names under `/<prefix>/`.
    public init(prefix: String, logger: Logger, resolve: @escaping @Sendable (String) throws -> URL?) {
        self.prefix = prefix
        self.logger = logger
        self.resolve = resolve
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let resolve = resolve
        let logger = logger
        router.get("/\(prefix)/**") { _, context -> Response in
            let name = context.parameters.getCatchAll().joined(separator: "/")
            let url: URL
            do {
                guard let found = try resolve(name) else { return Response(status: .notFound) }
                url = found
            } catch {
                logger.error("refusing to serve a file", metadata: ["file": "\(name)", "error": "\(error)"])
                return Response(status: .conflict)
            }
            let data = try Data(contentsOf: url)
            logger.info("serving a file", metadata: ["file": "\(name)", "bytes": "\(data.count)"])
            return Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
        return router
    }

    /// Serves on `host:port` (0: any free port, reported to `onRunning`) until the task is cancelled.
    public func serve(
        host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await application(host: host, port: port, onRunning: onRunning).run()
    }

    func application(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void)
        -> some ApplicationProtocol
    {
        // Hummingbird's own log says "error" when the server is cancelled at the end of its run: keep it quiet.
        var quiet = logger
        quiet.logLevel = .critical
        return Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "HWAutomation"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: quiet)
    }

    /// Runs `body` with the server on `host` (a free port), then stops it gracefully (the listener first, then
    /// downloads in flight, 30 s at most); `body` gets the base URL.
    public func withServer<T: Sendable>(
        host: String = "127.0.0.1", _ body: @escaping @Sendable (URL) async throws -> T
    ) async throws -> T {
        let (ports, announce) = AsyncStream.makeStream(of: Int.self)
        var quiet = logger
        quiet.logLevel = .critical
        let app = application(host: host, port: 0) { port in announce.yield(port) }
        return try await ScopedServices.run(
            [app], ready: ports, shutdownLimit: .seconds(30), logger: quiet,
            notReady: { CancellationError() }
        ) { port in
            try await body(URL(string: "http://\(host):\(port)")!)
        }
    }
}

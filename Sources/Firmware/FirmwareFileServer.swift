import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Our own HTTP file server for `SimpleUpdate`: it publishes the repository's recorded images (and nothing else)
/// at `/firmware/<vendor>/<component>/<file>` on the management network, checking each image's SHA-256 before
/// serving it. BMCs fetch their `ImageURI` from it.
public struct FirmwareFileServer: Sendable {
    /// The repository served.
    public let library: FirmwareLibrary
    private let logger: Logger

    /// A server for `library`.
    public init(library: FirmwareLibrary, logger: Logger) {
        self.library = library
        self.logger = logger
    }

    /// The URL a BMC fetches `image` from, given the server's base URL (`http://10.0.0.2:8088`).
    public static func url(of image: FirmwareImage, base: URL) -> URL {
        var url = base.appendingPathComponent("firmware")
        for part in image.file.split(separator: "/") { url.appendPathComponent(String(part)) }
        return url
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let library = library
        let logger = logger
        router.get("/firmware/**") { request, context -> Response in
            let file = context.parameters.getCatchAll().joined(separator: "/")
            guard let image = try library.images().first(where: { $0.file == file }) else {
                return Response(status: .notFound)
            }
            let url: URL
            do {
                url = try library.verify(image)
            } catch {
                logger.error("refusing to serve a firmware image", metadata: ["error": "\(error)"])
                return Response(status: .conflict)
            }
            let data = try Data(contentsOf: url)
            logger.info("serving firmware", metadata: ["file": "\(file)", "bytes": "\(data.count)"])
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
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        var quiet = logger
        quiet.logLevel = .critical
        let app = application(host: host, port: 0) { port in continuation.yield(port) }
        var configuration = ServiceGroupConfiguration(services: [.init(service: app)], logger: quiet)
        configuration.maximumGracefulShutdownDuration = .seconds(30)
        let services = ServiceGroup(configuration: configuration)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await services.run()
                return nil
            }
            var ports = stream.makeAsyncIterator()
            guard let port = await ports.next() else { throw CancellationError() }
            let outcome: Result<T, any Error>
            do {
                outcome = .success(try await body(URL(string: "http://\(host):\(port)")!))
            } catch {
                outcome = .failure(error)
            }
            await services.triggerGracefulShutdown()
            while let _ = try? await group.next() {}
            return try outcome.get()
        }
    }
}

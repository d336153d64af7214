import Firmware
import Foundation
import HTTPSupport
import Logging

/// Our own HTTP file server for `SimpleUpdate`: it publishes the repository's recorded images (and nothing else)
/// at `/firmware/<vendor>/<component>/<file>` on the management network, checking each image's SHA-256 before
/// serving it. BMCs fetch their `ImageURI` (`FirmwareLibrary.downloadURL`) from it.
public struct FirmwareFileServer: Sendable {
    /// The repository served.
    public let library: FirmwareLibrary
    private let server: VerifiedFileServer

    /// A server for `library`.
    public init(library: FirmwareLibrary, logger: Logger) {
        self.library = library
        server = VerifiedFileServer(prefix: FirmwareLibrary.servedPrefix, logger: logger) { name in
            try library.servedFile(name)
        }
    }

    /// Serves on `host:port` (0: any free port, reported to `onRunning`) until the task is cancelled.
    public func serve(
        host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await server.serve(host: host, port: port, onRunning: onRunning)
    }

    /// Runs `body` with the server on `host` (a free port), then stops it gracefully (the listener first, then
    /// downloads in flight, 30 s at most); `body` gets the base URL.
    public func withServer<T: Sendable>(
        host: String = "127.0.0.1", _ body: @escaping @Sendable (URL) async throws -> T
    ) async throws -> T {
        try await server.withServer(host: host, body)
    }
}

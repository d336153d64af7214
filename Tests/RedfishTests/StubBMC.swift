import HTTPSupport
import Hummingbird
import Logging

/// A BMC a test writes by hand as a Hummingbird router, for answers no peer gives on demand (a 501 to a query, a
/// login without a token).
enum StubBMC {
    /// Serves `router` on a free loopback port while `body` runs with that port, then stops it.
    static func serve(
        _ router: Router<BasicRequestContext>, label: String, _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        var logger = Logger(label: label)
        logger.logLevel = .critical
        let (ports, announce) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in announce.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        try await ScopedServices.run(
            [app], ready: ports, shutdownLimit: .seconds(5), logger: logger, notReady: { CancellationError() }, body)
    }
}

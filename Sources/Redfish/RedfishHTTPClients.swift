import AsyncHTTPClient
import NIOCore
import Synchronization

/// The HTTP clients every `RedfishClient` of a process shares: one connection pool and event loop group for all
/// BMCs (connections are kept per BMC origin and TLS policy inside it), one client per pair of connect and read
/// timeouts. They live as long as the process and are never shut down.
enum RedfishHTTPClients {
    private struct Timeouts: Hashable {
        var connect: Int64
        var read: Int64
    }

    private static let clients = Mutex<[Timeouts: HTTPClient]>([:])

    /// The shared client for these timeouts (made on first use).
    static func client(connect: TimeAmount, read: TimeAmount) -> HTTPClient {
        let key = Timeouts(connect: connect.nanoseconds, read: read.nanoseconds)
        return clients.withLock { clients in
            if let known = clients[key] { return known }
            var configuration = HTTPClient.Configuration(
                // The library follows no redirect (it would re-send our headers); `RedfishClient` follows same-origin
                // ones itself. TLS is set per request, from each BMC's policy.
                redirectConfiguration: .disallow, timeout: .init(connect: connect, read: read))
            // A refused connection or an untrusted certificate fails at once; the client's own retries decide.
            configuration.connectionPool.retryConnectionEstablishment = false
            // A pool is keyed by origin: a BMC is one origin, but a lab serves a thousand BMCs under one (prefix
            // routing), so the per-origin limit must not queue their runs behind a few connections. A real BMC gets
            // as many connections as requests in flight to it, which its run's one-at-a-time requests keep to one.
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 4096
            // The process bootstraps no tracer: without this the library opens a no-op span per request and computes
            // its attributes (2.4% of the process's CPU in a 1,000-node fleet).
            configuration.tracing.tracer = nil
            let made = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[key] = made
            return made
        }
    }
}

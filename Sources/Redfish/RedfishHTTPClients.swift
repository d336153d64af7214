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
            // Many BMCs at once: enough connections per BMC for parallel reads, kept for reuse between a run's steps.
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 4
            let made = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[key] = made
            return made
        }
    }
}

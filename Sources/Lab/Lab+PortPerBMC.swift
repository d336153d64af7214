import Foundation
import HTTPSupport
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Where a running lab listens.
public struct LabListeners: Sendable, Equatable {
    /// The shared listener's port: every BMC under `/bmc/<n>`, and the MAAS when the lab has one.
    public var port: Int
    /// Each BMC's own port, by index: BMC `n` answers at the root of `bmcPorts[n]` (`http://host:port/redfish/v1`),
    /// its links unprefixed. Empty when the lab serves no per-BMC listeners.
    public var bmcPorts: [Int]

    /// The shared listener on `port`, and per-BMC listeners on `bmcPorts`.
    public init(port: Int, bmcPorts: [Int]) {
        self.port = port
        self.bmcPorts = bmcPorts
    }
}

/// Each BMC at the root of a port of its own, as a real BMC is reached, beside the shared prefix listener.
extension Lab {
    /// The root URL of a BMC served on a port of its own (`…/redfish/v1` below it).
    public static func rootURL(host: String = "127.0.0.1", port: Int) -> URL {
        URL(string: "http://\(host):\(port)")!
    }

    /// The ports of `count` per-BMC listeners from `base` (BMC `n` on `base + n`), checked: every port in
    /// 1...65535 and none the shared listener's `sharedPort`; `option` names the setting in the error.
    public static func bmcPorts(
        base: Int, count: Int, sharedPort: Int, option: String = "--port-per-bmc"
    ) throws(LabError) -> [Int] {
        guard count > 0 else { return [] }
        let last = base + count - 1
        guard base >= 1, base <= 65535 else {
            throw LabError(message: "\(option) \(base) is not a port: choose a base port in 1...65535")
        }
        guard last <= 65535 else {
            throw LabError(
                message: "\(option) \(base) with \(count) BMCs needs ports \(base)...\(last), beyond 65535: choose "
                    + "a base of at most \(65535 - count + 1)")
        }
        guard !(base...last).contains(sharedPort) else {
            throw LabError(
                message: "\(option) \(base) with \(count) BMCs needs ports \(base)...\(last), which include the "
                    + "lab's --port \(sharedPort): choose a base above \(sharedPort) or below \(sharedPort - count + 1)"
            )
        }
        return Array(base...last)
    }

    /// Serves the lab on `host:port` (0 picks a free port) and BMC `n` at the root of `host:bmcPorts[n]` (0 picks
    /// a free port; `bmcPorts` empty or one port per BMC) until the task is cancelled or, with `untilSignalled`,
    /// until SIGINT/SIGTERM stops every listener; `onRunning` gets the ports once all listen. A listener that
    /// cannot bind stops the others and its error is thrown.
    public func serve(
        host: String = "127.0.0.1", port: Int = 0, bmcPorts: [Int], untilSignalled: Bool = false,
        onRunning: @escaping @Sendable (LabListeners) async -> Void = { _ in }
    ) async throws {
        var quiet = logger
        quiet.logLevel = .critical
        var configuration = ServiceGroupConfiguration(
            services: try listeners(host: host, port: port, bmcPorts: bmcPorts, onRunning: onRunning).map {
                .init(service: $0)
            },
            gracefulShutdownSignals: untilSignalled ? [.sigterm, .sigint] : [], logger: quiet)
        configuration.maximumGracefulShutdownDuration = .seconds(10)
        try await ServiceGroup(configuration: configuration).run()
    }

    /// Runs `body` with the lab serving on a free loopback port and, with `perBMC`, each BMC at the root of a free
    /// loopback port of its own; then stops every listener gracefully: they close first (a client still at work
    /// gets a refused connection, not a half-accepted one), answers in flight are finished (10 s at most).
    public func withListeners<T: Sendable>(
        perBMC: Bool = true, _ body: @escaping @Sendable (LabListeners) async throws -> T
    ) async throws -> T {
        let (stream, continuation) = AsyncStream.makeStream(of: LabListeners.self)
        var quiet = logger
        quiet.logLevel = .critical
        let services = try listeners(
            host: "127.0.0.1", port: 0, bmcPorts: perBMC ? nodes.map { _ in 0 } : []
        ) { continuation.yield($0) }
        stopping.withLock { $0 = false }
        return try await ScopedServices.run(
            services, ready: stream, shutdownLimit: .seconds(10), logger: quiet,
            notReady: { LabError(message: "the lab's listeners stopped before all of them were listening") },
            stopping: { [self] in stopping.withLock { $0 = true } }, body)
    }

    /// The shared listener and one per entry of `bmcPorts`; `onRunning` is called once, when all listen.
    private func listeners(
        host: String, port: Int, bmcPorts: [Int], onRunning: @escaping @Sendable (LabListeners) async -> Void
    ) throws(LabError) -> [any Service] {
        guard bmcPorts.isEmpty || bmcPorts.count == nodes.count else {
            throw LabError(message: "\(bmcPorts.count) per-BMC ports for a lab of \(nodes.count) BMCs")
        }
        let bound = BoundPorts(count: bmcPorts.count + 1)
        var services: [any Service] = [
            application(host: host, port: port) { actual in
                if let all = bound.record(actual, at: 0) {
                    await onRunning(LabListeners(port: all[0], bmcPorts: Array(all.dropFirst())))
                }
            }
        ]
        for (index, bmcPort) in bmcPorts.enumerated() {
            services.append(
                bmcApplication(index: index, host: host, port: bmcPort) { actual in
                    if let all = bound.record(actual, at: index + 1) {
                        await onRunning(LabListeners(port: all[0], bmcPorts: Array(all.dropFirst())))
                    }
                })
        }
        return services
    }

    /// A listener serving BMC `index` at its root: paths as a real BMC's, links unprefixed.
    private func bmcApplication(
        index: Int, host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        listener(host: host, port: port, onRunning: onRunning) { [self] request, context in
            try await self.respond(request, context: context, node: index, path: request.uri.path, prefixed: false)
        }
    }
}

/// The ports listeners got, gathered as each comes up: the whole set once the last is listening.
private final class BoundPorts: Sendable {
    let ports: Mutex<[Int?]>

    init(count: Int) {
        ports = Mutex(Array(repeating: nil, count: count))
    }

    /// Records that listener `slot` listens on `port`: every port when it completes the set, else nil.
    func record(_ port: Int, at slot: Int) -> [Int]? {
        ports.withLock { ports in
            let complete = !ports.contains { $0 == nil }
            ports[slot] = port
            guard !complete else { return nil }
            let all = ports.compactMap { $0 }
            return all.count == ports.count ? all : nil
        }
    }
}

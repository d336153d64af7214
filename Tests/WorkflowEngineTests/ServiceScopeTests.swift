import ChildTasks
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@Suite("ServiceScope: background services for as long as a body runs")
struct ServiceScopeTests {
    /// A service that says when it has started, then runs until the graceful shutdown, and records that it ended so.
    final class Probe: Service, Sendable {
        let started: AsyncStream<Void>
        private let announce: AsyncStream<Void>.Continuation
        let endedGracefully = Mutex(false)

        init() {
            (started, announce) = AsyncStream.makeStream(of: Void.self)
        }

        func run() async {
            announce.yield()
            do {
                try await gracefulShutdown()
                endedGracefully.withLock { $0 = true }
            } catch {
                // Cancelled instead of shut down gracefully: `endedGracefully` stays false.
            }
        }
    }

    struct Refused: Error, Equatable {}

    static let logger = Logger(label: "service-scope-tests")

    @Test("a service added in the scope runs while the body does and is shut down gracefully before run returns")
    func serviceLivesForTheBody() async throws {
        let probe = Probe()
        let value = try await ServiceScope.run(logger: Self.logger) { () async throws -> Int in
            #expect(ServiceScope.current != nil)
            try await ServiceScope.add(probe, for: "a probe")
            for await _ in probe.started { break }
            #expect(probe.endedGracefully.withLock { $0 } == false, "still running while the body runs")
            return 42
        }
        #expect(value == 42)
        #expect(probe.endedGracefully.withLock { $0 }, "shut down gracefully, and waited for, when the body ended")
        #expect(ServiceScope.current == nil)
    }

    @Test("the body's error is thrown, after its services have been shut down")
    func bodyErrorAfterShutdown() async throws {
        let probe = Probe()
        await #expect(throws: Refused.self) {
            try await ServiceScope.run(logger: Self.logger) {
                try await ServiceScope.add(probe, for: "a probe")
                for await _ in probe.started { break }
                throw Refused()
            }
        }
        #expect(probe.endedGracefully.withLock { $0 })
    }

    @Test("outside any scope, adding a service is refused with what needed it (nothing would ever stop it)")
    func outsideAnyScope() async throws {
        let error = await #expect(throws: ServiceScopeError.self) {
            try await ServiceScope.add(Probe(), for: "a PostgreSQL store's connection pool")
        }
        #expect(error?.description.contains("a PostgreSQL store's connection pool") == true)
        #expect(error?.description.contains("ServiceScope.run") == true)
    }
}

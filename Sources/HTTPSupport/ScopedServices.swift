import Logging
import ServiceLifecycle

/// Listeners (or any services) that run for as long as a body does: the one pattern behind the lab's
/// `withListeners` and the firmware file server's `withServer`.
public enum ScopedServices {
    /// Runs `services` in a `ServiceGroup`, waits for the first value of `ready` (what the listeners announce once
    /// bound: their ports), runs `body` with it, then stops the services gracefully (listeners close first; work in
    /// flight gets `shutdownLimit`) and returns what `body` returned, or throws what it threw. `stopping` is called
    /// just before the shutdown starts. The services ending before `ready` yields (a listener that cannot bind)
    /// throws their error, or `notReady` when they gave none.
    public static func run<Ready: Sendable, T: Sendable>(
        _ services: [any Service], ready: AsyncStream<Ready>, shutdownLimit: Duration, logger: Logger,
        notReady: @escaping @Sendable () -> any Error, stopping: @escaping @Sendable () -> Void = {},
        _ body: @escaping @Sendable (Ready) async throws -> T
    ) async throws -> T {
        var configuration = ServiceGroupConfiguration(services: services.map { .init(service: $0) }, logger: logger)
        configuration.maximumGracefulShutdownDuration = shutdownLimit
        let group = ServiceGroup(configuration: configuration)
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var announcements = ready.makeAsyncIterator()
            guard let value = await announcements.next() else {
                try await tasks.waitForAll()
                throw notReady()
            }
            let outcome: Result<T, any Error>
            do {
                outcome = .success(try await body(value))
            } catch {
                outcome = .failure(error)
            }
            stopping()
            await group.triggerGracefulShutdown()
            while let _ = try? await tasks.next() {}
            return try outcome.get()
        }
    }
}

import Logging
import ServiceLifecycle

/// A `ServiceGroup` that lives as long as a body runs: the place where what a body opens runs its background work
/// (a database's connection pool), as services, instead of in unstructured tasks.
///
/// `hwautomation` runs every command inside one (the process's service group); `PostgresStore.open` adds its
/// `PostgresClient` to the current scope, which shuts it down gracefully when the body has returned.
public enum ServiceScope {
    /// The group of the innermost `run` around the current task, if any.
    @TaskLocal public static var current: ServiceGroup?

    /// Runs `body` with a service group of its own as `current`; when `body` ends (returns or throws), shuts the
    /// services added meanwhile down gracefully, waits for them, and returns what `body` returned or throws what it
    /// threw (a service's own failure is logged by the group, not thrown over the body's outcome).
    public static func run<T>(
        isolation: isolated (any Actor)? = #isolation, logger: Logger, _ body: () async throws -> T
    ) async throws -> T {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: Idle(), successTerminationBehavior: .gracefullyShutdownGroup)],
                logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let outcome: Result<T, any Error>
            do {
                outcome = .success(try await $current.withValue(group) { try await body() })
            } catch {
                outcome = .failure(error)
            }
            await group.triggerGracefulShutdown()
            while let _ = try? await tasks.next() {}
            return try outcome.get()
        }
    }

    /// Runs `service` in the current scope's group until the scope ends.
    /// - Throws: `ServiceScopeError` when no `run` is around the current task (nothing would ever stop the service).
    public static func add(_ service: any Service, for purpose: String) async throws(ServiceScopeError) {
        guard let group = current else { throw ServiceScopeError(purpose: purpose) }
        await group.addServiceUnlessShutdown(service)
    }

    /// Keeps a group running until it is told to shut down (a group with no service ends at once).
    private struct Idle: Service {
        func run() async {
            try? await gracefulShutdown()
        }
    }
}

/// Something that runs in the background was started outside any `ServiceScope.run`.
public struct ServiceScopeError: Error, CustomStringConvertible, Sendable {
    /// What needed the scope (a PostgreSQL connection pool, …).
    public var purpose: String

    /// The error for `purpose`.
    public init(purpose: String) {
        self.purpose = purpose
    }

    /// What happened and what to do.
    public var description: String {
        "\(purpose) runs in the background for as long as its scope: open it inside ServiceScope.run { … } "
            + "(hwautomation's commands run in one)"
    }
}

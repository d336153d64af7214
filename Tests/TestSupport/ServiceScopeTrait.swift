import ChildTasks
import Logging
import Testing

/// Runs each test case of a suite (or one test) inside a `ServiceScope`, as `hwautomation` runs its commands: what
/// the test opens that works in the background (a PostgreSQL store's pool) runs there and is shut down when the
/// test case ends.
public struct ServiceScopeTrait: SuiteTrait, TestTrait, TestScoping {
    /// Every test of a suite, and every case of a parameterised test.
    public var isRecursive: Bool { true }

    /// One scope per test case (a suite's own turn passes straight through).
    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard testCase != nil else { return try await function() }
        var logger = Logger(label: "tests.services")
        logger.logLevel = .error
        try await ServiceScope.run(logger: logger) { try await function() }
    }
}

extension Trait where Self == ServiceScopeTrait {
    /// Each test case in a `ServiceScope` of its own.
    public static var serviceScope: Self { Self() }
}

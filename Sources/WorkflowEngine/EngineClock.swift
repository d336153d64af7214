import Foundation

/// Time for the engine: timestamps and backoff waits (tests inject one that does not wait).
public protocol EngineClock: Sendable {
    /// Now.
    func now() -> Date
    /// Waits `duration` (throws when the task is cancelled).
    func sleep(for duration: Duration) async throws
}

/// The wall clock.
public struct SystemEngineClock: EngineClock {
    /// The clock.
    public init() {}

    /// Now.
    public func now() -> Date { Date() }

    /// Sleeps.
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

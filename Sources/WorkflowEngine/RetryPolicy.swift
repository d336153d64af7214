/// Retries for transient errors: exponential backoff with jitter, capped.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all (1 = no retry).
    public var maxAttempts: Int
    /// The first wait.
    public var initialDelay: Duration
    /// No wait is longer.
    public var maxDelay: Duration

    /// A policy.
    public init(maxAttempts: Int = 3, initialDelay: Duration = .seconds(2), maxDelay: Duration = .seconds(60)) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    /// The wait after failed attempt `attempt` (1-based): `initialDelay × 2^(attempt−1)`, capped, times a jitter
    /// factor in 0.5…1.0 (`unit` in 0..<1 chooses it, so tests can fix it).
    public func delay(afterAttempt attempt: Int, unit: Double) -> Duration {
        let base = initialDelay * (1 << min(max(attempt - 1, 0), 20))
        let capped = min(base, maxDelay)
        return capped * (0.5 + 0.5 * min(max(unit, 0), 1))
    }
}

/// An error that says whether trying again may help. Errors that do not conform are permanent.
public protocol TransientClassifying: Error {
    /// True for timeouts, 5xx, connection errors, a busy BMC.
    var isTransient: Bool { get }
}

/// A step failed; `transient` says whether the engine may retry it.
public struct StepError: Error, TransientClassifying, CustomStringConvertible, Sendable {
    /// For a person.
    public var message: String
    /// Trying again may help.
    public var isTransient: Bool

    /// An error.
    public init(_ message: String, transient: Bool = false) {
        self.message = message
        isTransient = transient
    }

    /// The message.
    public var description: String { message }
}

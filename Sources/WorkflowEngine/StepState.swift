/// Where one step of a run stands. The raw values are what the stores keep in the `state` column.
public enum StepState: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Not started, or waiting for its next attempt after a transient failure.
    case pending
    /// An attempt is in flight (or was, when its process died).
    case running
    /// Done; its output is kept.
    case succeeded
    /// Nothing to do; the reason is kept.
    case skipped
    /// Failed for good.
    case failed
    /// Stopped by an operator.
    case cancelled
    /// Needs a person's decision.
    case waiting

    /// Done (succeeded or skipped): the run goes on past it.
    public var isDone: Bool { self == .succeeded || self == .skipped }

    /// Stopped the run (failed, cancelled, waiting): a reopen makes it pending again.
    public var isStopping: Bool { self == .failed || self == .cancelled || self == .waiting }

    /// The state a step takes when its run stops as `run`.
    init(stopping run: RunState) {
        switch run {
        case .failed: self = .failed
        case .cancelled: self = .cancelled
        case .waiting: self = .waiting
        case .pending, .running, .succeeded: preconditionFailure("a run does not stop as \(run)")
        }
    }

    /// The raw value.
    public var description: String { rawValue }
}

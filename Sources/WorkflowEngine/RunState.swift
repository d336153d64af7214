/// Where a workflow run stands. The raw values are what the stores keep in the `state` column.
public enum RunState: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Created or reopened; no driver has started it yet.
    case pending
    /// A driver is working on it (or was, when its process died: then another takes it over).
    case running
    /// It stopped for a person's decision (`workflow resume` continues it).
    case waiting
    /// Every step succeeded or was skipped.
    case succeeded
    /// A step failed for good.
    case failed
    /// An operator stopped it.
    case cancelled

    /// The run has ended: it never moves again unless a person reopens it.
    public var isTerminal: Bool { self == .succeeded || self == .failed || self == .cancelled }

    /// No driver works on it: ended, or waiting for a person.
    public var isStopped: Bool { isTerminal || self == .waiting }

    /// A driver may take it: pending, or running under an owner that may be gone.
    public var isRunnable: Bool { self == .pending || self == .running }

    /// A reopen (`workflow resume`) may make it pending again.
    public var isReopenable: Bool { self == .waiting || self == .failed || self == .cancelled }

    /// The raw value.
    public var description: String { rawValue }
}

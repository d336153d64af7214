/// What a finished program left: how it ended and what it printed.
public struct ProcessOutput: Sendable, Hashable {
    /// How a program ended.
    public enum Termination: Sendable, Hashable, CustomStringConvertible {
        /// It exited with this code.
        case exited(Int32)
        /// A signal ended it.
        case signaled(Int32)

        /// `exit code 2` or `signal 9`.
        public var description: String {
            switch self {
            case .exited(let code): return "exit code \(code)"
            case .signaled(let signal): return "signal \(signal)"
            }
        }
    }

    /// How it ended.
    public var termination: Termination
    /// Standard output.
    public var standardOutput: String
    /// Standard error.
    public var standardError: String
    /// How long it ran.
    public var duration: Duration

    /// Creates an output record.
    public init(termination: Termination, standardOutput: String, standardError: String, duration: Duration) {
        self.termination = termination
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.duration = duration
    }

    /// True for exit code 0.
    public var succeeded: Bool { termination == .exited(0) }
}

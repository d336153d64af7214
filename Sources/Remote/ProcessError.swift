/// A program could not be run to completion.
public struct ProcessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable {
        /// The program is not installed (not on `PATH`, or no such file).
        case notFound
        /// It ran longer than its timeout and was stopped.
        case timedOut
        /// It could not be started.
        case launchFailed
        /// It ran and failed (`ProcessRunner.check`).
        case failed
    }

    /// The kind.
    public var kind: Kind
    /// The command as it may be logged (no secrets).
    public var command: String
    /// A sentence saying what happened and what to do.
    public var message: String
    /// The output, when the program ran.
    public var output: ProcessOutput?

    /// Creates an error.
    public init(kind: Kind, command: String, message: String, output: ProcessOutput? = nil) {
        self.kind = kind
        self.command = command
        self.message = message
        self.output = output
    }

    /// `<command>: <message>`.
    public var description: String { "\(command): \(message)" }
}

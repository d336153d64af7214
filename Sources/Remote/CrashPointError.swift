/// `HWA_CRASH_POINTS` is malformed.
public struct CrashPointError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// The message.
    public var description: String { message }
}

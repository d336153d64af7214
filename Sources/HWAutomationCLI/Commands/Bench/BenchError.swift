/// A benchmark could not measure what it set out to: the message says what went wrong and where.
struct BenchError: Error, CustomStringConvertible {
    /// What went wrong.
    var message: String

    /// An error saying `message`.
    init(_ message: String) {
        self.message = message
    }

    /// The message.
    var description: String { message }
}

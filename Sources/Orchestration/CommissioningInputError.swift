/// A run's input has a value its key cannot take.
public struct CommissioningInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key.
    public var key: CommissioningInput.Key
    /// The value given.
    public var value: String
    /// What the key takes.
    public var expected: String

    /// An error.
    public init(key: CommissioningInput.Key, value: String, expected: String) {
        self.key = key
        self.value = value
        self.expected = expected
    }

    /// What is wrong, naming the key.
    public var description: String { "input `\(key.rawValue)` is `\(value)`; it takes \(expected)" }
}

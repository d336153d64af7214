/// A binding pattern that cannot be read.
public struct AddressPatternError: Error, Sendable, CustomStringConvertible {
    /// The pattern as given.
    public var pattern: String
    /// What is wrong with it.
    public var reason: String

    init(_ pattern: String, _ reason: String) {
        self.pattern = pattern
        self.reason = reason
    }

    /// The message.
    public var description: String {
        "`\(pattern)` cannot be a credential binding: \(reason) (examples: 10.1.0.0/16, 10.1.2.3, fd00::/8, "
            + "bmc-*.rack1.example)"
    }
}

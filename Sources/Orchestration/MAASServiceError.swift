/// Why a MAAS operation could not be done, in words a person can act on.
public struct MAASServiceError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// No region is configured, or its key is not there (a setting to give; nothing was sent).
        case notConfigured
        /// The region's settings or credential cannot be used for it (nothing was sent).
        case unusable
        /// The store failed.
        case store
        /// The region was asked and failed.
        case region
    }

    /// What went wrong.
    public var kind: Kind
    /// The message.
    public var message: String
    /// The message.
    public var description: String { message }

    /// An error of `kind`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

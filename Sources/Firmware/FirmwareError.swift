/// Why a firmware operation did not happen or did not finish, in words a person can act on.
public struct FirmwareError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of failure.
    public enum Kind: String, Sendable {
        /// The repository or its manifest cannot be read or written.
        case repository
        /// An image's bytes do not match its recorded checksum.
        case checksum
        /// Bad input (a version, a component, a policy).
        case invalid
        /// The BMC refused or failed the update.
        case update
        /// After the update the BMC does not show the new version.
        case verification
    }

    /// What kind.
    public var kind: Kind
    /// The message.
    public var message: String

    /// An error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

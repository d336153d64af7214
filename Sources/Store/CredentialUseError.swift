/// A stored credential was about to be sent where it may not go; nothing was sent.
public struct CredentialUseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why it was refused.
    public enum Reason: Sendable, Hashable {
        /// The address is not one the credential is bound to.
        case address
        /// The connection would be plain `http://` and the credential does not allow it.
        case plainHTTP
    }

    /// The credential's name.
    public var credential: String
    /// Where it would have gone (`10.2.0.5`, `http://127.0.0.1:8600`).
    public var address: String
    /// Why it was refused.
    public var reason: Reason
    /// The credential's bindings (patterns), to show what it is for.
    public var allowed: [String]

    /// An error.
    public init(credential: String, address: String, reason: Reason, allowed: [String]) {
        self.credential = credential
        self.address = address
        self.reason = reason
        self.allowed = allowed
    }

    /// The message (never the secret).
    public var description: String {
        switch reason {
        case .address:
            return
                "credential \(credential) is not for \(address): it is bound to \(allowed.joined(separator: ", ")); "
                + "nothing was sent (add the address with `hwautomation credentials bind \(credential) --allow "
                + "ADDRESS`, or use another credential)"
        case .plainHTTP:
            return
                "credential \(credential) would be sent over plain http to \(address); refused, nothing was sent "
                + "(use https, or, for a lab, allow it with `hwautomation credentials bind \(credential) "
                + "--allow-plain-http`)"
        }
    }
}

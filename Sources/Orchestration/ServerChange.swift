/// What a person may set on a server (its type, confidence and status come from workflows): every field optional,
/// so one value serves a creation and a change.
public struct ServerChange: Sendable, Hashable {
    /// The id (1 to 128 letters, digits, `-`, `_` or `.`).
    public var id: String?
    /// A display name.
    public var name: String?
    /// The BMC's Redfish URL, without credentials in it.
    public var bmc: String?
    /// The stored credential for the BMC.
    public var credential: String?
    /// SSH destination for in-band discovery (`user@host` or `host`).
    public var sshHost: String?
    /// Its tags.
    public var tags: [String]?

    /// A change of the fields given.
    public init(
        id: String? = nil, name: String? = nil, bmc: String? = nil, credential: String? = nil,
        sshHost: String? = nil, tags: [String]? = nil
    ) {
        self.id = id
        self.name = name
        self.bmc = bmc
        self.credential = credential
        self.sshHost = sshHost
        self.tags = tags
    }
}

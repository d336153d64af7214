/// A holder's hold on one BMC, as `acquireBMCLock` granted it: `releaseBMCLock` with it frees the BMC only while
/// the lock is still stored under this grant (a takeover raises the token and fences this grant out).
public struct BMCLockGrant: Sendable, Hashable {
    /// The BMC (`BMCIdentity.key`).
    public var key: String
    /// Who holds it (`host:pid`).
    public var holder: String
    /// The fencing token: every grant of this key gets a larger one than any before it.
    public var token: Int

    /// A grant.
    public init(key: String, holder: String, token: Int) {
        self.key = key
        self.holder = holder
        self.token = token
    }
}

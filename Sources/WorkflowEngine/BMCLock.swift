import Foundation

/// One held BMC lock as stored: who holds the BMC, for which run and step, under which fencing token, and until
/// when (unless the holder renews it).
public struct BMCLock: Sendable, Hashable {
    /// The BMC (`BMCIdentity.key`).
    public var key: String
    /// Who holds it (`host:pid`).
    public var holder: String
    /// The run it is held for.
    public var workflowID: String
    /// The step it was taken for.
    public var step: String
    /// The fencing token of the grant.
    public var token: Int
    /// When it was granted.
    public var acquired: Date
    /// When it lapses unless renewed; from then on another holder may take it over.
    public var expires: Date

    /// A lock.
    public init(
        key: String, holder: String, workflowID: String, step: String, token: Int, acquired: Date, expires: Date
    ) {
        self.key = key
        self.holder = holder
        self.workflowID = workflowID
        self.step = step
        self.token = token
        self.acquired = acquired
        self.expires = expires
    }

    /// The grant this lock is held under.
    public var grant: BMCLockGrant { BMCLockGrant(key: key, holder: holder, token: token) }
}

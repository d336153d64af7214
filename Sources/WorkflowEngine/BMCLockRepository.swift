import Foundation

/// One change at a time per BMC, across every process sharing a store: a lock per BMC (keyed by
/// `BMCIdentity.key`), leased like workflow runs — it lapses unless its holder renews it, a holder known to be gone
/// loses it at once, and each grant carries a fencing token larger than any earlier grant of that BMC.
///
/// Every acquire is one atomic compare-and-set in the store (one SQLite write transaction; one PostgreSQL
/// `INSERT … ON CONFLICT DO UPDATE … WHERE`), so of any number of holders asking at once exactly one is granted.
/// The stores throw `StoreError`; the protocol depends on nothing of the store's, so that the engine can own it.
public protocol BMCLockRepository: Sendable {
    /// Grants BMC `key` to `holder` for step `step` of run `workflowID` until `expiresAt`, when it is free: never
    /// locked, released, expired (its `expires` not after `now`), held by one of the `gone` holders (known to be
    /// dead), or already held by this same holder for this same run (a re-grant, which fences out the earlier
    /// grant). Returns the grant with its new fencing token, or nil when another holder holds it unexpired.
    /// Throws when `expiresAt` is not after `now`.
    func acquireBMCLock(
        key: String, holder: String, workflowID: String, step: String, gone: [String], at now: Date, expiresAt: Date
    ) async throws -> BMCLockGrant?

    /// Extends every lock `holder` holds to `expiresAt` (a later stored expiry is kept), a lapsed one too if no one
    /// took it over meanwhile; returns the grants `holder` holds, by key (a lock missing from them was taken over).
    /// Throws when `expiresAt` is not after `now`.
    func renewBMCLocks(holder: String, at now: Date, expiresAt: Date) async throws -> [BMCLockGrant]

    /// Frees the BMC when its lock is still held under `grant` (same holder and token); false, and nothing
    /// changed, when it is not (taken over since, or already released).
    func releaseBMCLock(_ grant: BMCLockGrant) async throws -> Bool

    /// Every held lock (lapsed ones included until taken over or released), by key.
    func bmcLocks() async throws -> [BMCLock]
}

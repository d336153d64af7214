import Foundation

/// Where drift checks are kept, with their history: one row per check, never updated.
public protocol DriftRepository: Sendable {
    /// Stores one check; the record with its id.
    @discardableResult
    func recordDrift(_ record: DriftRecord) async throws(StoreError) -> DriftRecord
    /// The newest check of every server the store still records, by server id; only servers of `deviceType`
    /// when given.
    func latestDrift(deviceType: String?) async throws(StoreError) -> [DriftRecord]
    /// One server's checks, newest first, at most `limit`.
    func driftHistory(serverID: String, limit: Int) async throws(StoreError) -> [DriftRecord]
}

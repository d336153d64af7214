import Foundation

/// Who did what: the audit log, never pruned.
public protocol AuditRepository: Sendable {
    /// Records who did what.
    func audit(_ entry: AuditEntry) async throws(StoreError)
    /// The newest `limit` audit entries, newest first.
    func auditLog(limit: Int) async throws(StoreError) -> [AuditEntry]
}

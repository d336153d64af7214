import BIOS
import Foundation
import Store

/// BIOS backups kept in the store (`store:#<id>`), each with an audit entry.
public struct StoreBackupSink: BIOSBackupSink {
    /// The store.
    public let store: any BIOSBackupRepository & AuditRepository
    /// Who is recorded in the audit log (`cli`, `workflow <id>`).
    public let actor: String

    /// A sink writing to `store`.
    public init(store: any BIOSBackupRepository & AuditRepository, actor: String = "cli") {
        self.store = store
        self.actor = actor
    }

    /// Saves `backup`; returns `store:#<id>`.
    public func save(_ backup: BIOSBackup) async throws -> String {
        let attributes = String(decoding: try JSONEncoder().encode(backup.attributes), as: UTF8.self)
        let saved = try await store.saveBIOSBackup(
            BIOSBackupRecord(bmc: backup.bmc, deviceType: backup.deviceType, attributes: attributes))
        try await store.audit(
            AuditEntry(actor: actor, action: "bios.backup", target: backup.bmc, detail: "store:#\(saved.id ?? 0)"))
        return "store:#\(saved.id ?? 0)"
    }
}

import Foundation

/// BIOS settings saved before a change, to restore them.
public protocol BIOSBackupRepository: Sendable {
    /// Saves a BIOS backup; returns it with its id.
    func saveBIOSBackup(_ backup: BIOSBackupRecord) async throws(StoreError) -> BIOSBackupRecord
    /// One backup.
    func biosBackup(id: Int64) async throws(StoreError) -> BIOSBackupRecord?
    /// Backups of a BMC, newest first.
    func biosBackups(bmc: String) async throws(StoreError) -> [BIOSBackupRecord]
}

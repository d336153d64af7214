import Foundation
import Remote

/// Where `RedfishBIOS.apply` saves the settings it is about to change.
public protocol BIOSBackupSink: Sendable {
    /// Saves `backup`; returns a reference a person can restore from (a path, `store:#12`).
    func save(_ backup: BIOSBackup) async throws -> String
}

/// Backups as 0600 JSON files in a folder.
public struct FileBackupSink: BIOSBackupSink {
    /// The folder (created 0700 if absent).
    public var directory: URL

    /// Files in `directory`.
    public init(directory: URL) {
        self.directory = directory
    }

    /// Writes `bios-<bmc>-<time>.json`; returns its path.
    public func save(_ backup: BIOSBackup) async throws -> String {
        try SecretFile.makeDirectory(directory.path)
        let file = directory.appendingPathComponent(
            "bios-\(backup.bmc.replacingOccurrences(of: ":", with: "_"))-\(backup.taken).json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try SecretFile.write(try encoder.encode(backup), to: file.path)
        return file.path
    }
}

import Foundation

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
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = directory.appendingPathComponent(
            "bios-\(backup.bmc.replacingOccurrences(of: ":", with: "_"))-\(backup.taken).json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(backup).write(to: file, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        return file.path
    }
}

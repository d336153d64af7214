import BIOS

/// Keeps BIOS backups in memory (benchmarks, dry runs).
public actor MemoryBackupSink: BIOSBackupSink {
    private var saved: [BIOSBackup] = []

    /// An empty sink.
    public init() {}

    /// Keeps `backup`; returns `memory:#N`.
    public func save(_ backup: BIOSBackup) async throws -> String {
        saved.append(backup)
        return "memory:#\(saved.count)"
    }

    /// The backups saved, oldest first.
    public var backups: [BIOSBackup] { saved }

    /// How many backups were saved.
    public var count: Int { saved.count }
}

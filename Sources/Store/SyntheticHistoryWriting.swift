import Foundation

/// A store that can write a `SyntheticHistory` in bulk (SQLite and PostgreSQL).
public protocol SyntheticHistoryWriting: Store {
    /// Writes `history`'s runs, steps and events (into an empty store: ids would collide otherwise).
    func write(_ history: SyntheticHistory) async throws(StoreError)
}

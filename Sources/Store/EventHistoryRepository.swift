import Foundation
import Logging

/// How long the workflow event history is kept, and how other processes hear of new events.
public protocol EventHistoryRepository: Sendable {
    /// Deletes the progress events (`step.progress`) of runs that finished (succeeded, failed or cancelled) before
    /// `finishedBefore` (their last update); returns how many were deleted. Events of unfinished runs (pending,
    /// running, waiting), every other kind of event, and the audit log are never touched.
    func pruneEvents(finishedBefore: Date) async throws(StoreError) -> Int
    /// The sequence number of the newest stored event (0 when there is none).
    func latestEventSeq() async throws(StoreError) -> Int64

    /// Sequence numbers of events as any process stores them, for live views across processes (PostgreSQL's
    /// LISTEN/NOTIFY); nil when the store has no such channel (then only this process's engine tells).
    func eventNotifications(logger: Logger) -> AsyncStream<Int64>?
}

extension EventHistoryRepository {
    /// No channel: SQLite and in-memory stores live in one process.
    public func eventNotifications(logger: Logger) -> AsyncStream<Int64>? { nil }
}

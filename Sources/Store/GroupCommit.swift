import GRDB
import Synchronization
import WorkflowEngine

/// Commits concurrent writes together: the first caller to find no commit under way becomes the leader and writes
/// every write waiting at that moment in one transaction (each in its own savepoint, so one failing write does not
/// undo the others); the rest wait, unblocked, for their own result. A caller's write is committed before its call
/// returns, as with one transaction each, at a fraction of the cost when many workflows move at once.
final class GroupCommit: Sendable {
    typealias Write = @Sendable (Database) throws -> EventRecord

    private struct Pending: Sendable {
        var write: Write
        var continuation: CheckedContinuation<EventRecord, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var leading = false
    }

    private let state = Mutex(State())
    private let pool: DatabasePool
    private let path: String

    init(pool: DatabasePool, path: String) {
        self.pool = pool
        self.path = path
    }

    /// Runs `write` in a transaction shared with the writes that arrive meanwhile; returns its event.
    func submit(_ write: @escaping Write) async throws(StoreError) -> EventRecord {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                let lead = state.withLock { state -> Bool in
                    state.queue.append(Pending(write: write, continuation: continuation))
                    if state.leading { return false }
                    state.leading = true
                    return true
                }
                if lead { drain() }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("\(path): \(error)")
        }
    }

    /// Commits batches until no write is waiting.
    private func drain() {
        while true {
            let batch = state.withLock { state -> [Pending] in
                let batch = state.queue
                state.queue = []
                if batch.isEmpty { state.leading = false }
                return batch
            }
            if batch.isEmpty { return }
            var results: [Result<EventRecord, any Error>] = []
            do {
                results = try pool.write { db in
                    batch.map { pending in
                        var result: Result<EventRecord, any Error> = .failure(StoreError("\(path): not written"))
                        do {
                            try db.inSavepoint {
                                result = .success(try pending.write(db))
                                return .commit
                            }
                        } catch {
                            result = .failure(error)
                        }
                        return result
                    }
                }
            } catch {
                results = batch.map { _ in .failure(error) }
            }
            for (pending, result) in zip(batch, results) { pending.continuation.resume(with: result) }
        }
    }
}

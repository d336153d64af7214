import Synchronization

/// Counting permits per key (a BMC, a vendor, `global`), waited for in order; a waiter whose task is cancelled
/// leaves the queue at once.
public final class Limiter: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var inUse: [String: Int] = [:]
        var waiters: [String: [Waiter]] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())
    private let limit: @Sendable (String) -> Int

    /// Permits per key as `limit` says (at least 1).
    public init(limit: @escaping @Sendable (String) -> Int) {
        self.limit = limit
    }

    /// Permits held now, summed over the keys that start with `prefix` (`bmc:` for BMCs being changed).
    public func inUse(prefix: String) -> Int {
        state.withLock { state in state.inUse.filter { $0.key.hasPrefix(prefix) }.values.reduce(0, +) }
    }

    /// Takes a permit for `key`, waiting for one; throws `CancellationError` when the task is cancelled first.
    public func acquire(_ key: String) async throws {
        let allowed = max(1, limit(key))
        let id: UInt64? = state.withLock { state in
            if state.inUse[key, default: 0] < allowed, state.waiters[key, default: []].isEmpty {
                state.inUse[key, default: 0] += 1
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    if state.inUse[key, default: 0] < allowed, state.waiters[key, default: []].isEmpty {
                        state.inUse[key, default: 0] += 1
                        continuation.resume()
                        return false
                    }
                    state.waiters[key, default: []].append(Waiter(id: id, continuation: continuation))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let at = state.waiters[key]?.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters[key]?.remove(at: at)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Gives a permit back, handing it to the first waiter.
    public func release(_ key: String) {
        let next = state.withLock { state -> Waiter? in
            if var queue = state.waiters[key], !queue.isEmpty {
                let first = queue.removeFirst()
                state.waiters[key] = queue.isEmpty ? nil : queue
                return first
            }
            state.inUse[key, default: 1] -= 1
            if state.inUse[key] == 0 { state.inUse[key] = nil }
            return nil
        }
        next?.continuation.resume()
    }

    /// Runs `body` holding a permit for each key (taken in sorted order, so two callers never deadlock).
    public func withPermits<T>(
        _ keys: [String], isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async throws -> T {
        let ordered = Array(Set(keys)).sorted()
        var held: [String] = []
        defer { for key in held.reversed() { release(key) } }
        for key in ordered {
            try await acquire(key)
            held.append(key)
        }
        return try await body()
    }

    /// Permits in use for `key` (tests).
    public func inUse(_ key: String) -> Int { state.withLock { $0.inUse[key, default: 0] } }
}

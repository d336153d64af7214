import Synchronization

/// Counts the live event streams each token holds open, refusing one more than `perToken`.
final class StreamLimiter: Sendable {
    let perToken: Int
    private let open = Mutex<[String: Int]>([:])

    init(perToken: Int) { self.perToken = max(1, perToken) }

    /// Takes a slot for `key`; false when it already holds `perToken` streams.
    func acquire(_ key: String) -> Bool {
        open.withLock { open in
            let count = open[key, default: 0]
            guard count < perToken else { return false }
            open[key] = count + 1
            return true
        }
    }

    /// Gives back a slot of `key`.
    func release(_ key: String) {
        open.withLock { open in
            let count = open[key, default: 0] - 1
            open[key] = count > 0 ? count : nil
        }
    }
}

import Synchronization

/// Step timeouts for every run at once: one loop that wakes every `tick` and fires what has expired, instead of a
/// sleeping timer task beside every running step (at 10,000 runs those tasks were a good part of the memory).
final class Watchdog: Sendable {
    private struct Entry {
        var deadline: ContinuousClock.Instant
        var expire: @Sendable () -> Void
    }

    private let entries = Mutex<[UInt64: Entry]>([:])
    private let nextID = Atomic<UInt64>(0)
    /// How often deadlines are checked (a timeout fires up to this late).
    let tick: Duration

    init(tick: Duration = .milliseconds(50)) {
        self.tick = tick
    }

    /// Runs `body`; if it is still running after `limit`, calls `expire` once (which cancels the run's task).
    func watch<T>(
        _ limit: Duration, expire: @escaping @Sendable () -> Void, isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> T
    ) async rethrows -> T {
        let id = nextID.add(1, ordering: .relaxed).newValue
        entries.withLock { $0[id] = Entry(deadline: .now + limit, expire: expire) }
        defer { _ = entries.withLock { $0.removeValue(forKey: id) } }
        return try await body()
    }

    /// Fires expired entries every `tick` until the task is cancelled.
    func run() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: tick) } catch { return }
            let now = ContinuousClock.now
            let expired = entries.withLock { entries -> [Entry] in
                let due = entries.filter { $0.value.deadline <= now }
                for id in due.keys { entries.removeValue(forKey: id) }
                return Array(due.values)
            }
            for entry in expired { entry.expire() }
        }
    }
}

/// The tasks running workflows, by workflow id, reachable from synchronous cancellation handlers.
final class RunningTasks: Sendable {
    private let tasks = Mutex<[String: Task<Void, Never>]>([:])
    private let timedOut = Mutex<Set<String>>([])

    /// Stores the task `make` starts as run `id`'s, unless the run already has one here (then `make` is not
    /// called): false when it had, so one run is never driven twice by one engine.
    func add(_ id: String, _ make: () -> Task<Void, Never>) -> Bool {
        tasks.withLock { tasks in
            guard tasks[id] == nil else { return false }
            tasks[id] = make()
            return true
        }
    }

    /// Whether run `id` has a task here.
    func contains(_ id: String) -> Bool { tasks.withLock { $0[id] != nil } }

    func remove(_ id: String) {
        _ = tasks.withLock { $0.removeValue(forKey: id) }
        _ = timedOut.withLock { $0.remove(id) }
    }

    /// Cancels the run's task (an operator's cancel, or a timeout when `timeout` is set).
    func cancel(_ id: String, timeout: Bool = false) {
        if timeout { _ = timedOut.withLock { $0.insert(id) } }
        tasks.withLock { $0[id] }?.cancel()
    }

    /// Takes the note that the run was cancelled because a step ran past its timeout.
    func takeTimeout(_ id: String) -> Bool { timedOut.withLock { $0.remove(id) != nil } }

    func cancelAll() { for task in tasks.withLock({ Array($0.values) }) { task.cancel() } }

    var ids: [String] { tasks.withLock { Array($0.keys) } }
}

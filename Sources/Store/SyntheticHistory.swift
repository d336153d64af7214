import Foundation

/// A large, deterministic workflow history for measuring the store and the API at scale (`hwautomation bench api`):
/// `runs` runs over `servers` servers, one every `spacing` seconds up to an hour before `now`, with six steps
/// each and `events / runs` events each, written by the database itself in a few statements. Runs are numbered
/// 1…runs, oldest first: run `i` is `run-%08d`, on server `bench-%05d` (`i % servers`), in batch
/// `bench-batch-%05d` (`i / 100`); of every 100, one is running, one pending, one waiting, five failed, one
/// cancelled and the rest succeeded; a run's events are `workflow.created`, then `step.started`, `step.progress`
/// and `step.succeeded` in turn, and last the event that ends it (progress for unfinished runs).
public struct SyntheticHistory: Sendable, Hashable {
    /// Runs to write.
    public var runs: Int
    /// Events to write in all (`events / runs` per run, at least 2).
    public var events: Int
    /// Servers the runs are spread over (their rows are not written: see `serverIDs`).
    public var servers: Int
    /// The newest run is created an hour before this.
    public var now: Date
    /// Seconds between two runs' creation.
    public var spacing: Int

    /// A history.
    public init(runs: Int, events: Int, servers: Int, now: Date = Date(), spacing: Int = 30) {
        self.runs = max(1, runs)
        self.events = max(0, events)
        self.servers = max(1, servers)
        self.now = now
        self.spacing = max(1, spacing)
    }

    /// Events per run.
    public var eventsPerRun: Int { max(2, events / runs) }

    /// The definitions the runs cycle through.
    public static let definitions = ["intelligent-commissioning", "firmware-update", "maas-provisioning"]

    /// The steps every run has.
    public static let steps = ["discover", "classify", "plan-bios", "apply-bios", "verify", "record"]

    /// The id of server number `index` (0 ..< servers).
    public static func serverID(_ index: Int) -> String { String(format: "bench-%05d", index) }

    /// The id of run number `index` (1 … runs).
    public static func runID(_ index: Int) -> String { String(format: "run-%08d", index) }

    /// When run `index` (1 … runs) was created, in seconds since 1970.
    public func created(_ index: Int) -> Int64 {
        Int64(now.timeIntervalSince1970) - 3_600 - Int64(runs - index) * Int64(spacing)
    }

    /// The state of run number `index`, as stored (the SQL below says the same).
    public static func state(_ index: Int) -> String {
        switch index % 100 {
        case 0: "running"
        case 1: "pending"
        case 2: "waiting"
        case 3...7: "failed"
        case 8: "cancelled"
        default: "succeeded"
        }
    }

    /// SQL (both dialects) for the state of run `i`.
    static func stateSQL(_ i: String) -> String {
        """
        CASE \(i) % 100 WHEN 0 THEN 'running' WHEN 1 THEN 'pending' WHEN 2 THEN 'waiting'
          WHEN 3 THEN 'failed' WHEN 4 THEN 'failed' WHEN 5 THEN 'failed' WHEN 6 THEN 'failed' WHEN 7 THEN 'failed'
          WHEN 8 THEN 'cancelled' ELSE 'succeeded' END
        """
    }

    /// SQL for the state of step `k` (0…5) of run `i`: done before the fourth, the fourth where the run stopped.
    static func stepStateSQL(_ i: String, _ k: String) -> String {
        """
        CASE WHEN \(i) % 100 >= 9 OR \(k) < 3 THEN 'succeeded'
          WHEN \(k) > 3 THEN 'pending'
          ELSE (CASE \(i) % 100 WHEN 0 THEN 'running' WHEN 1 THEN 'pending' WHEN 2 THEN 'waiting'
            WHEN 8 THEN 'cancelled' ELSE 'failed' END) END
        """
    }

    /// SQL for the kind of event `j` (0 …< n) of run `i`.
    static func eventKindSQL(_ i: String, _ j: String, _ n: String) -> String {
        """
        CASE WHEN \(j) = 0 THEN 'workflow.created'
          WHEN \(j) = \(n) - 1 THEN (CASE \(i) % 100 WHEN 0 THEN 'step.progress' WHEN 1 THEN 'step.progress'
            WHEN 2 THEN 'workflow.waiting' WHEN 8 THEN 'workflow.cancelled'
            WHEN 3 THEN 'step.failed' WHEN 4 THEN 'step.failed' WHEN 5 THEN 'step.failed' WHEN 6 THEN 'step.failed'
            WHEN 7 THEN 'step.failed' ELSE 'workflow.succeeded' END)
          WHEN \(j) % 4 = 1 THEN 'step.started' WHEN \(j) % 4 = 3 THEN 'step.succeeded' ELSE 'step.progress' END
        """
    }

    /// SQL for the step name of event `j`.
    static func eventStepSQL(_ j: String) -> String {
        "CASE (\(j) / 4) % 6 "
            + steps.enumerated().map { "WHEN \($0.offset) THEN '\($0.element)'" }.joined(separator: " ") + " END"
    }

    /// SQL for the definition of run `i`.
    static func definitionSQL(_ i: String) -> String {
        "CASE \(i) % 3 "
            + definitions.enumerated().map { "WHEN \($0.offset) THEN '\($0.element)'" }.joined(separator: " ")
            + " END"
    }
}

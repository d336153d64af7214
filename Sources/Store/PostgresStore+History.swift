import Foundation
import PostgresNIO
import WorkflowEngine

extension PostgresStore: SyntheticHistoryWriting {
    /// The `SyntheticHistoryWriting` requirement: three INSERT … SELECT statements over `generate_series`, in one
    /// transaction, then VACUUM (ANALYZE) of the three tables.
    public func write(_ history: SyntheticHistory) async throws(StoreError) {
        let n = history.eventsPerRun
        let created = "to_timestamp(\(history.created(0)) + r.i * \(history.spacing))"
        let runs = "generate_series(1, \(history.runs)) AS r(i)"
        let workflows = """
            INSERT INTO workflow (id, definition, version, server_id, state, input, reason, batch, owner, heartbeat,
              cancel_requested, created, updated, lease_epoch)
            SELECT 'run-' || lpad(r.i::text, 8, '0'), \(SyntheticHistory.definitionSQL("r.i")), 1,
              'bench-' || lpad((r.i % \(history.servers))::text, 5, '0'), \(SyntheticHistory.stateSQL("r.i")), '{}',
              CASE WHEN r.i % 100 BETWEEN 3 AND 7 THEN 'bench: step apply-bios failed' END,
              'bench-batch-' || lpad((r.i / 100)::text, 5, '0'), NULL, NULL, false, \(created),
              \(created) + interval '600 seconds', 0
            FROM \(runs)
            """
        let steps = """
            INSERT INTO step (workflow_id, idx, name, state, attempt, started, finished, output, error)
            SELECT 'run-' || lpad(r.i::text, 8, '0'), s.k,
              CASE s.k \(SyntheticHistory.steps.enumerated().map { "WHEN \($0.offset) THEN '\($0.element)'" }
                .joined(separator: " ")) END,
              \(SyntheticHistory.stepStateSQL("r.i", "s.k")), 1, \(created) + s.k * interval '60 seconds',
              \(created) + s.k * interval '60 seconds' + interval '50 seconds', NULL, NULL
            FROM \(runs), generate_series(0, \(SyntheticHistory.steps.count - 1)) AS s(k)
            """
        let events = """
            INSERT INTO event (workflow_id, step, kind, percent, message, at)
            SELECT 'run-' || lpad(r.i::text, 8, '0'), CASE WHEN e.j > 0 THEN \(SyntheticHistory.eventStepSQL("e.j")) END,
              \(SyntheticHistory.eventKindSQL("r.i", "e.j", "\(n)")),
              CASE WHEN e.j % 4 = 2 THEN ((e.j * 5) % 100)::double precision END, 'bench event ' || e.j,
              \(created) + e.j * interval '1 second'
            FROM \(runs), generate_series(0, \(n - 1)) AS e(j) ORDER BY r.i, e.j
            """
        try await transaction { connection in
            for statement in [workflows, steps, events] {
                try await execute(PostgresQuery(unsafeSQL: statement), on: connection)
            }
        }
        // What autovacuum would do soon after: planner statistics, and the visibility map that lets counts and
        // pages be read from the indexes alone.
        try await connection { connection in
            for table in ["workflow", "step", "event"] {
                try await execute(PostgresQuery(unsafeSQL: "VACUUM (ANALYZE) \(table)"), on: connection)
            }
        }
    }
}

import Foundation
import GRDB
import WorkflowEngine

extension SQLiteStore: SyntheticHistoryWriting {
    /// The `SyntheticHistoryWriting` requirement: three INSERT … SELECT statements over recursive counters, in one
    /// transaction.
    public func write(_ history: SyntheticHistory) async throws(StoreError) {
        let n = history.eventsPerRun
        // GRDB's date text: "yyyy-MM-dd HH:mm:ss.SSS", UTC.
        func date(_ seconds: String) -> String { "strftime('%Y-%m-%d %H:%M:%f', \(seconds), 'unixepoch')" }
        let created = "(\(history.created(0)) + r.i * \(history.spacing))"
        let counter = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < \(history.runs))"
        let workflows = """
            \(counter)
            INSERT INTO workflow (id, definition, version, serverID, state, input, reason, batch, owner, heartbeat,
              cancelRequested, created, updated, leaseEpoch)
            SELECT printf('run-%08d', r.i), \(SyntheticHistory.definitionSQL("r.i")), 1,
              printf('bench-%05d', r.i % \(history.servers)), \(SyntheticHistory.stateSQL("r.i")), '{}',
              CASE WHEN r.i % 100 BETWEEN 3 AND 7 THEN 'bench: step apply-bios failed' END,
              printf('bench-batch-%05d', r.i / 100), NULL, NULL, 0, \(date(created)), \(date(created + " + 600")), 0
            FROM r
            """
        let steps = """
            \(counter), s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < \(SyntheticHistory.steps.count - 1))
            INSERT INTO step (workflowID, "index", name, state, attempt, started, finished, output, error)
            SELECT printf('run-%08d', r.i), s.k,
              CASE s.k \(SyntheticHistory.steps.enumerated().map { "WHEN \($0.offset) THEN '\($0.element)'" }
                .joined(separator: " ")) END,
              \(SyntheticHistory.stepStateSQL("r.i", "s.k")), 1, \(date(created + " + s.k * 60")),
              \(date(created + " + s.k * 60 + 50")), NULL, NULL
            FROM r, s
            """
        let events = """
            \(counter), e(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM e WHERE j < \(n - 1))
            INSERT INTO event (workflowID, step, kind, percent, message, at)
            SELECT printf('run-%08d', r.i), CASE WHEN e.j > 0 THEN \(SyntheticHistory.eventStepSQL("e.j")) END,
              \(SyntheticHistory.eventKindSQL("r.i", "e.j", "\(n)")),
              CASE WHEN e.j % 4 = 2 THEN (e.j * 5) % 100 END, 'bench event ' || e.j, \(date(created + " + e.j"))
            FROM r, e ORDER BY r.i, e.j
            """
        try write { db in
            try db.execute(sql: workflows)
            try db.execute(sql: steps)
            try db.execute(sql: events)
            try db.execute(sql: "ANALYZE")
        }
    }
}

import Foundation
import GRDB
import Remote
import WorkflowEngine

extension SQLiteStore {
    /// Saves `workflow`. A cancel request stored meanwhile (by `requestCancel`, from any process) survives the
    /// write, except when the write reopens a stopped run (waiting, failed or cancelled to pending): the
    /// operator's resume clears the old request, and a later cancel sets it again.
    private static func save(_ workflow: WorkflowRecord, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO workflow (id, definition, version, serverID, state, input, reason, batch, owner, heartbeat,
                  cancelRequested, created, updated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET state = excluded.state, input = excluded.input, reason = excluded.reason,
                  owner = excluded.owner,
                  heartbeat = CASE
                    WHEN workflow.heartbeat IS NULL OR workflow.heartbeat < excluded.heartbeat
                    THEN excluded.heartbeat ELSE workflow.heartbeat END,
                  cancelRequested = CASE
                    WHEN excluded.state = '\(RunState.pending)'
                      AND workflow.state IN ('\(RunState.waiting)', '\(RunState.failed)', '\(RunState.cancelled)')
                    THEN excluded.cancelRequested
                    ELSE workflow.cancelRequested OR excluded.cancelRequested END,
                  updated = excluded.updated
                """
        ).execute(
            arguments: [
                workflow.id, workflow.definition, workflow.version, workflow.serverID, workflow.state.rawValue,
                workflow.input,
                workflow.reason, workflow.batch, workflow.owner, workflow.heartbeat, workflow.cancelRequested,
                workflow.created, workflow.updated,
            ])
    }

    private static func save(_ step: StepRecord, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO step (workflowID, "index", name, state, attempt, started, finished, output, error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                step.workflowID, step.index, step.name, step.state.rawValue, step.attempt, step.started, step.finished,
                step.output, step.error,
            ])
    }

    private static func append(_ event: EventRecord, _ db: Database) throws -> EventRecord {
        try db.cachedStatement(
            sql: "INSERT INTO event (workflowID, step, kind, percent, message, at) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [
            event.workflowID, event.step, event.kind.rawValue, event.percent, event.message, event.at,
        ])
        var stored = event
        stored.seq = db.lastInsertedRowID
        return stored
    }

    private static func workflow(_ row: Row) throws -> WorkflowRecord {
        let id: String = row["id"]
        return WorkflowRecord(
            id: id, definition: row["definition"], version: row["version"], serverID: row["serverID"],
            state: try StoredValue.decode(row["state"], column: "state", row: "workflow \(id)"), input: row["input"],
            reason: row["reason"], batch: row["batch"], owner: row["owner"],
            heartbeat: row["heartbeat"], leaseEpoch: row["leaseEpoch"], cancelRequested: row["cancelRequested"],
            created: row["created"],
            updated: row["updated"])
    }

    /// The `Store` requirement of the same name.
    public func createWorkflow(_ workflow: WorkflowRecord, steps: [StepRecord], event: EventRecord)
        async throws(StoreError) -> EventRecord
    {
        try await commits.submit { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM workflow WHERE id = ?", arguments: [workflow.id]) != nil {
                throw StoreError("workflow \(workflow.id) already exists")
            }
            try Self.save(workflow, db)
            for step in steps { try Self.save(step, db) }
            return try Self.append(event, db)
        }
    }

    /// The `Store` requirement of the same name.
    public func record(workflow: WorkflowRecord?, step: StepRecord?, event: EventRecord, lease: WorkflowLease?)
        async throws(StoreError) -> EventRecord
    {
        try await commits.submit { db in
            if let lease { try Self.check(lease, workflowID: event.workflowID, db) }
            if let workflow { try Self.save(workflow, db) }
            if let step { try Self.save(step, db) }
            CrashPoint.hit(CrashPoint.storeCommit)
            return try Self.append(event, db)
        }
    }

    /// Throws the lease conflict unless run `workflowID` is stored under `lease` (in the caller's transaction).
    private static func check(_ lease: WorkflowLease, workflowID: String, _ db: Database) throws {
        let row = try Row.fetchOne(
            db, sql: "SELECT owner, leaseEpoch FROM workflow WHERE id = ?", arguments: [workflowID])
        let owner: String? = row?["owner"]
        let epoch: Int? = row?["leaseEpoch"]
        guard owner == lease.owner, epoch == lease.epoch else {
            throw WorkflowLeaseConflict(workflowID: workflowID, expected: lease, storedOwner: owner, storedEpoch: epoch)
                .error
        }
    }

    /// The `Store` requirement of the same name.
    public func workflow(id: String) async throws(StoreError) -> WorkflowRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM workflow WHERE id = ?", arguments: [id]).map {
                try Self.workflow($0)
            }
        }
    }

    /// The WHERE clause (empty when nothing is filtered) and its arguments for `filter`.
    private static func condition(_ filter: WorkflowFilter) -> (
        sql: String, arguments: [(any DatabaseValueConvertible)?]
    ) {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if !filter.states.isEmpty {
            clauses.append("state IN (\(filter.states.map { _ in "?" }.joined(separator: ", ")))")
            arguments += filter.states.map(\.rawValue).sorted().map { $0 }
        }
        if let batch = filter.batch {
            clauses.append("batch = ?")
            arguments.append(batch)
        }
        if let server = filter.serverID {
            clauses.append("serverID = ?")
            arguments.append(server)
        }
        if let definition = filter.definition {
            clauses.append("definition = ?")
            arguments.append(definition)
        }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    /// The `Store` requirement of the same name.
    public func workflows(_ filter: WorkflowFilter) async throws(StoreError) -> [WorkflowRecord] {
        var (condition, arguments) = Self.condition(filter)
        arguments.append(max(0, filter.limit))
        arguments.append(max(0, filter.offset))
        // The page's ids first, from the index alone (it holds created and id: the offset is skipped without reading
        // the rows it skips), then those rows.
        let sql = """
            SELECT w.* FROM (
              SELECT id, created FROM workflow \(condition) ORDER BY created DESC, id LIMIT ? OFFSET ?) AS page
            JOIN workflow w ON w.id = page.id ORDER BY page.created DESC, page.id
            """
        let bound = StatementArguments(arguments)
        return try read { db in try Row.fetchAll(db, sql: sql, arguments: bound).map { try Self.workflow($0) } }
    }

    /// The `Store` requirement of the same name.
    public func countWorkflows(_ filter: WorkflowFilter) async throws(StoreError) -> Int {
        let (condition, arguments) = Self.condition(filter)
        let bound = StatementArguments(arguments)
        return try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM workflow \(condition)", arguments: bound) ?? 0
        }
    }

    /// The `Store` requirement of the same name.
    public func workflowCountsByState() async throws(StoreError) -> [RunState: Int] {
        try read { db in
            var counts: [RunState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM workflow GROUP BY state") {
                let state: RunState = try StoredValue.decode(row["state"], column: "state", row: "workflow counts")
                counts[state] = row["n"]
            }
            return counts
        }
    }

    /// The `Store` requirement of the same name.
    public func pruneEvents(finishedBefore: Date) async throws(StoreError) -> Int {
        try write { db in
            try db.execute(
                sql: """
                    DELETE FROM event WHERE kind = ? AND workflowID IN (
                      SELECT id FROM workflow WHERE state IN (?, ?, ?) AND updated < ?)
                    """,
                arguments: [
                    EventKind.stepProgress.rawValue, RunState.succeeded.rawValue, RunState.failed.rawValue,
                    RunState.cancelled.rawValue, finishedBefore,
                ])
            return db.changesCount
        }
    }

    /// The `Store` requirement of the same name.
    public func latestEventSeq() async throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0 }
    }

    /// The `Store` requirement of the same name.
    public func steps(workflowID: String) async throws(StoreError) -> [StepRecord] {
        try read { db in
            try Row.fetchAll(
                db, sql: #"SELECT * FROM step WHERE workflowID = ? ORDER BY "index""#, arguments: [workflowID]
            )
            .map(Self.step)
        }
    }

    /// The `WorkflowRepository` requirement of the same name: one query.
    public func steps(workflowIDs: [String]) async throws(StoreError) -> [String: [StepRecord]] {
        let ids = Array(Set(workflowIDs))
        guard !ids.isEmpty else { return [:] }
        let sql =
            "SELECT * FROM step WHERE workflowID IN (\(ids.map { _ in "?" }.joined(separator: ", "))) "
            + #"ORDER BY workflowID, "index""#
        let found = try read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(ids)).map(Self.step)
        }
        return Dictionary(grouping: found, by: \.workflowID)
    }

    private static func step(_ row: Row) throws -> StepRecord {
        try StepRecord(
            workflowID: row["workflowID"], index: row["index"], name: row["name"],
            state: try StoredValue.decode(row["state"], column: "state", row: "step \(row["name"] ?? "")"),
            attempt: row["attempt"], started: row["started"], finished: row["finished"], output: row["output"],
            error: row["error"])
    }

    /// The `Store` requirement of the same name.
    public func events(workflowID: String?, after seq: Int64, limit: Int) async throws(StoreError) -> [EventRecord] {
        try read { db in
            let rows =
                if let workflowID {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM event WHERE workflowID = ? AND seq > ? ORDER BY seq LIMIT ?",
                        arguments: [workflowID, seq, limit])
                } else {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM event WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [seq, limit])
                }
            return try rows.map {
                EventRecord(
                    seq: $0["seq"], workflowID: $0["workflowID"], step: $0["step"],
                    kind: try StoredValue.decode($0["kind"], column: "kind", row: "event \($0["seq"] ?? 0)"),
                    percent: $0["percent"], message: $0["message"], at: $0["at"])
            }
        }
    }

    /// The `Store` requirement of the same name.
    public func claimWorkflow(id: String, owner: String, replacing expected: String?, staleBefore: Date, at now: Date)
        async throws(StoreError) -> WorkflowRecord?
    {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE workflow SET owner = ?1, heartbeat = MAX(COALESCE(heartbeat, ?2), ?2),
                      leaseEpoch = leaseEpoch + 1
                    WHERE id = ?3 AND (owner IS NULL OR owner = ?1 OR owner = ?4 OR heartbeat IS NULL OR heartbeat < ?5)
                    """,
                arguments: [owner, now, id, expected, staleBefore])
            guard db.changesCount > 0 else { return nil }
            return try Row.fetchOne(db, sql: "SELECT * FROM workflow WHERE id = ?", arguments: [id]).map {
                try Self.workflow($0)
            }
        }
    }

    /// The `Store` requirement of the same name.
    public func heartbeat(owner: String, at: Date) async throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "UPDATE workflow SET heartbeat = MAX(COALESCE(heartbeat, ?1), ?1) WHERE owner = ?2",
                arguments: [at, owner])
        }
    }

    /// The `Store` requirement of the same name.
    public func requestCancel(id: String) async throws(StoreError) -> Bool {
        try write { db in
            try db.execute(sql: "UPDATE workflow SET cancelRequested = 1 WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }
}

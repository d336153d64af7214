import Foundation
import Logging
import PostgresNIO
import Remote
import WorkflowEngine

extension PostgresStore {
    /// Saves `workflow`. A cancel request stored meanwhile (by `requestCancel`, from any process) survives the
    /// write, except when the write reopens a stopped run (waiting, failed or cancelled to pending): the
    /// operator's resume clears the old request, and a later cancel sets it again.
    private func save(_ workflow: WorkflowRecord, on connection: PostgresConnection) async throws {
        try await execute(
            """
            INSERT INTO workflow (id, definition, version, server_id, state, input, reason, batch, owner, heartbeat,
              cancel_requested, created, updated)
            VALUES (\(workflow.id), \(workflow.definition), \(workflow.version), \(workflow.serverID),
              \(workflow.state.rawValue), \(workflow.input), \(workflow.reason), \(workflow.batch), \(workflow.owner),
              \(workflow.heartbeat), \(workflow.cancelRequested), \(workflow.created), \(workflow.updated))
            ON CONFLICT (id) DO UPDATE SET state = excluded.state, input = excluded.input, reason = excluded.reason,
              owner = excluded.owner,
              heartbeat = CASE
                WHEN workflow.heartbeat IS NULL OR workflow.heartbeat < excluded.heartbeat
                THEN excluded.heartbeat ELSE workflow.heartbeat END,
              cancel_requested = CASE
                WHEN excluded.state = \(RunState.pending.rawValue)
                  AND workflow.state IN (\(RunState.waiting.rawValue), \(RunState.failed.rawValue),
                    \(RunState.cancelled.rawValue))
                THEN excluded.cancel_requested
                ELSE workflow.cancel_requested OR excluded.cancel_requested END,
              updated = excluded.updated
            """, on: connection)
    }

    private func save(_ step: StepRecord, on connection: PostgresConnection) async throws {
        try await execute(
            """
            INSERT INTO step (workflow_id, idx, name, state, attempt, started, finished, output, error)
            VALUES (\(step.workflowID), \(step.index), \(step.name), \(step.state.rawValue), \(step.attempt), \(step.started),
              \(step.finished), \(step.output), \(step.error))
            ON CONFLICT (workflow_id, idx) DO UPDATE SET name = excluded.name, state = excluded.state,
              attempt = excluded.attempt, started = excluded.started, finished = excluded.finished,
              output = excluded.output, error = excluded.error
            """, on: connection)
    }

    private func append(_ event: EventRecord, on connection: PostgresConnection) async throws -> EventRecord {
        var stored = event
        for try await row in try await connection.query(
            """
            INSERT INTO event (workflow_id, step, kind, percent, message, at)
            VALUES (\(event.workflowID), \(event.step), \(event.kind.rawValue), \(event.percent), \(event.message), \(event.at))
            RETURNING seq
            """, logger: logger)
        {
            stored.seq = try row.decode(Int64.self)
        }
        // Delivered to every listener when the transaction commits (and never if it rolls back).
        try await execute(
            "SELECT pg_notify(\(Self.eventChannel), \(String(stored.seq ?? 0)))", on: connection)
        return stored
    }

    /// The channel events are announced on.
    static let eventChannel = "hwa_events"

    /// The `Store` requirement of the same name: a connection of its own LISTENs on the events channel until the
    /// stream's consumer stops; if it breaks, it is opened again after a second (a consumer that must not miss an
    /// event reads the stored events after the last sequence number it saw, as the SSE route does).
    public func eventNotifications(logger: Logger) -> AsyncStream<Int64>? {
        let (stream, continuation) = AsyncStream.makeStream(of: Int64.self, bufferingPolicy: .bufferingNewest(1024))
        let configuration = configuration
        // Lives as long as the stream's consumer (not any one caller's task): cancelled when the stream ends.
        let listener = Task {
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(
                        configuration: Self.connectionConfiguration(configuration), id: 1, logger: logger)
                    do {
                        for try await notification in try await connection.listen(Self.eventChannel) {
                            if let seq = Int64(notification.payload) { continuation.yield(seq) }
                        }
                    } catch {
                        logger.warning("event notifications: \(error)")
                    }
                    try? await connection.close()
                } catch {
                    logger.warning("event notifications: cannot connect: \(Self.wrap(error, configuration))")
                }
                try? await Task.sleep(for: .seconds(1))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in listener.cancel() }
        return stream
    }

    static let workflowColumns =
        "id, definition, version, server_id, state, input, reason, batch, owner, heartbeat, cancel_requested, "
        + "created, updated, lease_epoch"

    static func workflow(_ row: PostgresRow) throws -> WorkflowRecord {
        let (
            id, definition, version, server, state, input, reason, batch, owner, heartbeat, cancel, created, updated,
            epoch
        ) =
            try row.decode(
                (
                    String, String, Int, String, String, String, String?, String?, String?, Date?, Bool, Date, Date,
                    Int
                ).self)
        return WorkflowRecord(
            id: id, definition: definition, version: version, serverID: server,
            state: try StoredValue.decode(state, column: "state", row: "workflow \(id)"), input: input,
            reason: reason, batch: batch, owner: owner, heartbeat: heartbeat, leaseEpoch: epoch,
            cancelRequested: cancel, created: created, updated: updated)
    }

    /// The `Store` requirement of the same name.
    public func createWorkflow(_ workflow: WorkflowRecord, steps: [StepRecord], event: EventRecord)
        async throws(StoreError) -> EventRecord
    {
        try await transaction { connection in
            for try await _ in try await connection.query(
                "SELECT 1 FROM workflow WHERE id = \(workflow.id)", logger: self.logger)
            {
                throw StoreError("workflow \(workflow.id) already exists")
            }
            try await self.save(workflow, on: connection)
            for step in steps { try await self.save(step, on: connection) }
            return try await self.append(event, on: connection)
        }
    }

    /// The `Store` requirement of the same name.
    public func record(workflow: WorkflowRecord?, step: StepRecord?, event: EventRecord, lease: WorkflowLease?)
        async throws(StoreError) -> EventRecord
    {
        try await transaction { connection in
            if let lease {
                // Locks the row for the transaction, so no claim slips in between the check and the writes.
                var stored: (owner: String?, epoch: Int)?
                for try await row in try await connection.query(
                    "SELECT owner, lease_epoch FROM workflow WHERE id = \(event.workflowID) FOR UPDATE",
                    logger: self.logger)
                {
                    stored = try row.decode((String?, Int).self)
                }
                guard let stored, stored.owner == lease.owner, stored.epoch == lease.epoch else {
                    throw WorkflowLeaseConflict(
                        workflowID: event.workflowID, expected: lease, storedOwner: stored?.owner,
                        storedEpoch: stored?.epoch
                    ).error
                }
            }
            if let workflow { try await self.save(workflow, on: connection) }
            if let step { try await self.save(step, on: connection) }
            CrashPoint.hit(CrashPoint.storeCommit)
            return try await self.append(event, on: connection)
        }
    }

    /// The `Store` requirement of the same name.
    public func workflow(id: String) async throws(StoreError) -> WorkflowRecord? {
        try await rows(
            "SELECT \(unescaped: Self.workflowColumns) FROM workflow WHERE id = \(id)", Self.workflow
        ).first
    }

    /// The `Store` requirement of the same name.
    public func workflows(_ filter: WorkflowFilter) async throws(StoreError) -> [WorkflowRecord] {
        var bindings = PostgresBindings()
        let sql: String
        do {
            let condition = try Self.condition(filter, &bindings)
            try bindings.append(max(0, filter.limit))
            let limit = bindings.count
            try bindings.append(max(0, filter.offset))
            // The page's ids first, from the index alone (created DESC, id: an index-only scan skips the offset
            // without reading the rows it skips), then those rows.
            let columns = Self.workflowColumns.split(separator: ",").map {
                "w." + $0.trimmingCharacters(in: .whitespaces)
            }
            sql = """
                SELECT \(columns.joined(separator: ", ")) FROM (
                  SELECT id, created FROM workflow \(condition)
                  ORDER BY created DESC, id LIMIT $\(limit) OFFSET $\(bindings.count)) AS page
                JOIN workflow w ON w.id = page.id ORDER BY page.created DESC, page.id
                """
        } catch {
            throw wrap(error)
        }
        return try await rows(PostgresQuery(unsafeSQL: sql, binds: bindings), Self.workflow)
    }

    /// The WHERE clause (empty when nothing is filtered) for `filter`, its values appended to `bindings`.
    private static func condition(_ filter: WorkflowFilter, _ bindings: inout PostgresBindings) throws -> String {
        var clauses: [String] = []
        func bind(_ value: String) throws -> String {
            try bindings.append(value)
            return "$\(bindings.count)"
        }
        if !filter.states.isEmpty {
            clauses.append(
                "state IN (" + (try filter.states.map(\.rawValue).sorted().map { try bind($0) }).joined(separator: ", ")
                    + ")")
        }
        if let batch = filter.batch { clauses.append("batch = \(try bind(batch))") }
        if let server = filter.serverID { clauses.append("server_id = \(try bind(server))") }
        if let definition = filter.definition { clauses.append("definition = \(try bind(definition))") }
        return clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
    }

    /// The `Store` requirement of the same name.
    public func countWorkflows(_ filter: WorkflowFilter) async throws(StoreError) -> Int {
        var bindings = PostgresBindings()
        let sql: String
        do {
            sql = "SELECT COUNT(*) FROM workflow \(try Self.condition(filter, &bindings))"
        } catch {
            throw wrap(error)
        }
        return try await rows(PostgresQuery(unsafeSQL: sql, binds: bindings)) { try Int($0.decode(Int64.self)) }
            .first ?? 0
    }

    /// The `Store` requirement of the same name.
    public func workflowCountsByState() async throws(StoreError) -> [RunState: Int] {
        let pairs = try await rows("SELECT state, COUNT(*) FROM workflow GROUP BY state") { row in
            let (state, count) = try row.decode((String, Int64).self)
            return (try StoredValue.decode(state, column: "state", row: "workflow counts") as RunState, Int(count))
        }
        return Dictionary(pairs, uniquingKeysWith: +)
    }

    /// The `Store` requirement of the same name.
    public func pruneEvents(finishedBefore: Date) async throws(StoreError) -> Int {
        let finished = [RunState.succeeded, .failed, .cancelled].map(\.rawValue)
        return try await rows(
            """
            WITH pruned AS (
              DELETE FROM event WHERE kind = \(EventKind.stepProgress.rawValue) AND workflow_id IN (
                SELECT id FROM workflow WHERE state = ANY(\(finished)) AND updated < \(finishedBefore))
              RETURNING 1)
            SELECT COUNT(*) FROM pruned
            """
        ) { try Int($0.decode(Int64.self)) }.first ?? 0
    }

    /// The `Store` requirement of the same name.
    public func latestEventSeq() async throws(StoreError) -> Int64 {
        try await rows("SELECT COALESCE(MAX(seq), 0) FROM event") { try $0.decode(Int64.self) }.first ?? 0
    }

    /// The `Store` requirement of the same name.
    public func steps(workflowID: String) async throws(StoreError) -> [StepRecord] {
        try await rows(
            """
            SELECT workflow_id, idx, name, state, attempt, started, finished, output, error FROM step
            WHERE workflow_id = \(workflowID) ORDER BY idx
            """, Self.step)
    }

    /// The `WorkflowRepository` requirement of the same name: one query.
    public func steps(workflowIDs: [String]) async throws(StoreError) -> [String: [StepRecord]] {
        guard !workflowIDs.isEmpty else { return [:] }
        let found = try await rows(
            """
            SELECT workflow_id, idx, name, state, attempt, started, finished, output, error FROM step
            WHERE workflow_id = ANY(\(Array(Set(workflowIDs)))) ORDER BY workflow_id, idx
            """, Self.step)
        return Dictionary(grouping: found, by: \.workflowID)
    }

    private static func step(_ row: PostgresRow) throws -> StepRecord {
        let (workflow, index, name, state, attempt, started, finished, output, error) = try row.decode(
            (String, Int, String, String, Int, Date?, Date?, String?, String?).self)
        return StepRecord(
            workflowID: workflow, index: index, name: name,
            state: try StoredValue.decode(state, column: "state", row: "step \(name) of \(workflow)"),
            attempt: attempt, started: started,
            finished: finished, output: output, error: error)
    }

    /// The `Store` requirement of the same name.
    public func events(workflowID: String?, after seq: Int64, limit: Int) async throws(StoreError) -> [EventRecord] {
        let columns = "seq, workflow_id, step, kind, percent, message, at"
        let query: PostgresQuery =
            if let workflowID {
                """
                SELECT \(unescaped: columns) FROM event WHERE workflow_id = \(workflowID) AND seq > \(seq)
                ORDER BY seq LIMIT \(limit)
                """
            } else {
                "SELECT \(unescaped: columns) FROM event WHERE seq > \(seq) ORDER BY seq LIMIT \(limit)"
            }
        return try await rows(query) { row in
            let (seq, workflow, step, kind, percent, message, at) = try row.decode(
                (Int64, String, String?, String, Double?, String, Date).self)
            return EventRecord(
                seq: seq, workflowID: workflow, step: step,
                kind: try StoredValue.decode(kind, column: "kind", row: "event \(seq)"), percent: percent,
                message: message, at: at)
        }
    }

    /// The `Store` requirement of the same name.
    public func claimWorkflow(id: String, owner: String, replacing expected: String?, staleBefore: Date, at now: Date)
        async throws(StoreError) -> WorkflowRecord?
    {
        try await rows(
            """
            UPDATE workflow SET owner = \(owner), heartbeat = GREATEST(heartbeat, \(now)),
              lease_epoch = lease_epoch + 1
            WHERE id = \(id) AND (owner IS NULL OR owner = \(owner) OR owner = \(expected) OR heartbeat IS NULL
              OR heartbeat < \(staleBefore))
            RETURNING \(unescaped: Self.workflowColumns)
            """, Self.workflow
        ).first
    }

    /// The `Store` requirement of the same name: one `UPDATE` over a `SELECT ... FOR UPDATE SKIP LOCKED`, so that
    /// workers leasing at once each get different runs and never wait for each other.
    public func leaseWorkflows(
        ids: [String], owner: String, gone: [String], staleBefore: Date, limit: Int, at now: Date
    ) async throws(StoreError) -> [WorkflowRecord] {
        guard !ids.isEmpty, limit > 0 else { return [] }
        return try await rows(
            """
            UPDATE workflow SET owner = \(owner), heartbeat = GREATEST(heartbeat, \(now)),
              lease_epoch = lease_epoch + 1
            WHERE id IN (
              SELECT id FROM workflow
              WHERE id = ANY(\(ids)) AND state IN (\(RunState.pending.rawValue), \(RunState.running.rawValue))
                AND (owner IS NULL OR owner = \(owner) OR owner = ANY(\(gone)) OR heartbeat IS NULL
                  OR heartbeat < \(staleBefore))
              ORDER BY created, id LIMIT \(limit)
              FOR UPDATE SKIP LOCKED)
            RETURNING \(unescaped: Self.workflowColumns)
            """, Self.workflow)
    }

    /// The `Store` requirement of the same name.
    public func heartbeat(owner: String, at: Date) async throws(StoreError) {
        try await connection { connection in
            try await self.execute(
                "UPDATE workflow SET heartbeat = GREATEST(heartbeat, \(at)) WHERE owner = \(owner)", on: connection)
        }
    }

    /// The `Store` requirement of the same name.
    public func requestCancel(id: String) async throws(StoreError) -> Bool {
        try await connection { connection in
            try await self.execute(
                "UPDATE workflow SET cancel_requested = true WHERE id = \(id) RETURNING id", on: connection) > 0
        }
    }
}

import Foundation

/// One workflow run over one server, as stored.
public struct WorkflowRecord: Sendable, Hashable, Codable {
    /// Stable id (a UUID).
    public var id: String
    /// The definition's name (`intelligent-commissioning`).
    public var definition: String
    /// The definition's version when the run started (a resumed run keeps its version).
    public var version: Int
    /// The server it works on.
    public var serverID: String
    /// `pending`, `running`, `waiting` (for an operator), `succeeded`, `failed`, `cancelled`.
    public var state: String
    /// What it was started with, as JSON (device type, flags, BMC, SSH host).
    public var input: String
    /// Why it stopped (failed, waiting, cancelled).
    public var reason: String?
    /// The batch it belongs to, when it was started with others.
    public var batch: String?
    /// The process running it (`host:pid`), while one is.
    public var owner: String?
    /// When the owner last showed it was alive.
    public var heartbeat: Date?
    /// How many times the run has been claimed: each claim adds one, and a driver's writes count only while the
    /// stored owner and epoch are still the ones its claim returned (a fenced lease).
    public var leaseEpoch: Int
    /// An operator asked for it to stop.
    public var cancelRequested: Bool
    /// When it was created.
    public var created: Date
    /// Last change.
    public var updated: Date

    /// Creates a record.
    public init(
        id: String, definition: String, version: Int, serverID: String, state: String = "pending",
        input: String = "{}", reason: String? = nil, batch: String? = nil, owner: String? = nil,
        heartbeat: Date? = nil, leaseEpoch: Int = 0, cancelRequested: Bool = false, created: Date = Date(),
        updated: Date = Date()
    ) {
        self.id = id
        self.definition = definition
        self.version = version
        self.serverID = serverID
        self.state = state
        self.input = input
        self.reason = reason
        self.batch = batch
        self.owner = owner
        self.heartbeat = heartbeat
        self.leaseEpoch = leaseEpoch
        self.cancelRequested = cancelRequested
        self.created = created
        self.updated = updated
    }

    enum CodingKeys: String, CodingKey {
        case id, definition, version
        case serverID = "server_id"
        case state, input, reason, batch, owner, heartbeat
        case leaseEpoch = "lease_epoch"
        case cancelRequested = "cancel_requested"
        case created, updated
    }
}

/// One step of a workflow run, as stored.
public struct StepRecord: Sendable, Hashable, Codable {
    /// The workflow.
    public var workflowID: String
    /// Position in the definition (0-based).
    public var index: Int
    /// The step's name (`apply-bios`).
    public var name: String
    /// `pending`, `running`, `succeeded`, `skipped`, `failed`, `cancelled`, `waiting`.
    public var state: String
    /// Attempts so far (1 on the first run).
    public var attempt: Int
    /// When the latest attempt started.
    public var started: Date?
    /// When it ended.
    public var finished: Date?
    /// What it produced, as JSON (read by later steps).
    public var output: String?
    /// Why it failed.
    public var error: String?

    /// Creates a record.
    public init(
        workflowID: String, index: Int, name: String, state: String = "pending", attempt: Int = 0,
        started: Date? = nil, finished: Date? = nil, output: String? = nil, error: String? = nil
    ) {
        self.workflowID = workflowID
        self.index = index
        self.name = name
        self.state = state
        self.attempt = attempt
        self.started = started
        self.finished = finished
        self.output = output
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case workflowID = "workflow_id"
        case index, name, state, attempt, started, finished, output, error
    }
}

/// Something that happened to a workflow; the log is append-only.
public struct EventRecord: Sendable, Hashable, Codable {
    /// Position in the store's log (assigned by the store; increasing).
    public var seq: Int64?
    /// The workflow.
    public var workflowID: String
    /// The step, when the event is about one.
    public var step: String?
    /// `workflow.started`, `step.started`, `step.progress`, `step.succeeded`, `step.retry`, `workflow.failed`, ...
    public var kind: String
    /// 0–100 for the step (progress), when known.
    public var percent: Double?
    /// For a person.
    public var message: String
    /// When.
    public var at: Date

    /// Creates an event.
    public init(
        seq: Int64? = nil, workflowID: String, step: String? = nil, kind: String, percent: Double? = nil,
        message: String, at: Date = Date()
    ) {
        self.seq = seq
        self.workflowID = workflowID
        self.step = step
        self.kind = kind
        self.percent = percent
        self.message = message
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case seq
        case workflowID = "workflow_id"
        case step, kind, percent, message, at
    }
}

/// Which workflows a listing returns.
public struct WorkflowFilter: Sendable, Hashable {
    /// Only these states (all when empty).
    public var states: Set<String>
    /// Only this batch.
    public var batch: String?
    /// Only this server.
    public var serverID: String?
    /// At most this many, newest first.
    public var limit: Int

    /// A filter.
    public init(states: Set<String> = [], batch: String? = nil, serverID: String? = nil, limit: Int = 1000) {
        self.states = states
        self.batch = batch
        self.serverID = serverID
        self.limit = limit
    }
}

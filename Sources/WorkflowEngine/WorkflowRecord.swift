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
    /// Where it stands.
    public var state: RunState
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
        id: String, definition: String, version: Int, serverID: String, state: RunState = .pending,
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

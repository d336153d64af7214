/// Which workflows a listing returns.
public struct WorkflowFilter: Sendable, Hashable {
    /// Only these states (all when empty).
    public var states: Set<RunState>
    /// Only this batch.
    public var batch: String?
    /// Only this server.
    public var serverID: String?
    /// At most this many, newest first.
    public var limit: Int

    /// A filter.
    public init(states: Set<RunState> = [], batch: String? = nil, serverID: String? = nil, limit: Int = 1000) {
        self.states = states
        self.batch = batch
        self.serverID = serverID
        self.limit = limit
    }
}

/// Which workflows a listing returns, and which page of them.
public struct WorkflowFilter: Sendable, Hashable {
    /// Only these states (all when empty).
    public var states: Set<RunState>
    /// Only this batch.
    public var batch: String?
    /// Only this server.
    public var serverID: String?
    /// Only runs of this workflow definition.
    public var definition: String?
    /// At most this many, newest first.
    public var limit: Int
    /// Skip this many of the matching runs (newest first) before the first one returned: the page's start.
    public var offset: Int

    /// A filter.
    public init(
        states: Set<RunState> = [], batch: String? = nil, serverID: String? = nil, definition: String? = nil,
        limit: Int = 1000, offset: Int = 0
    ) {
        self.states = states
        self.batch = batch
        self.serverID = serverID
        self.definition = definition
        self.limit = limit
        self.offset = offset
    }
}

/// Why a fenced workflow write was refused: the run is no longer held under the writer's lease.
public struct WorkflowLeaseConflict: Sendable, Hashable {
    /// The run.
    public var workflowID: String
    /// The lease the writer holds.
    public var expected: WorkflowLease
    /// The stored owner (nil when nobody holds the run, or there is no such run).
    public var storedOwner: String?
    /// The stored lease epoch (nil when there is no such run).
    public var storedEpoch: Int?

    /// A conflict.
    public init(workflowID: String, expected: WorkflowLease, storedOwner: String?, storedEpoch: Int?) {
        self.workflowID = workflowID
        self.expected = expected
        self.storedOwner = storedOwner
        self.storedEpoch = storedEpoch
    }
}

/// An error that says a fenced workflow write was refused (a repository's error type adopts it, so that the engine
/// can tell a lost lease from other failures).
public protocol WorkflowLeaseConflictReporting: Error {
    /// Set when the write was refused because the run is no longer held under the writer's lease.
    var leaseConflict: WorkflowLeaseConflict? { get }
}

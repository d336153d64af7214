/// A driver's hold on one workflow run, as its claim returned it: writes made under it are stored only while the
/// run's stored owner and lease epoch are still these (another claim raises the epoch and fences this one out).
public struct WorkflowLease: Sendable, Hashable {
    /// The owner that claimed the run (`host:pid`).
    public var owner: String
    /// The run's lease epoch after that claim.
    public var epoch: Int

    /// A lease.
    public init(owner: String, epoch: Int) {
        self.owner = owner
        self.epoch = epoch
    }
}

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

    /// The error a store throws for it.
    public var error: StoreError {
        StoreError(
            "workflow \(workflowID): lease lost — this writer holds it as \(expected.owner) epoch \(expected.epoch), "
                + "but it is stored as \(storedOwner ?? "unowned") epoch \(storedEpoch.map(String.init) ?? "none"); "
                + "the write was not made",
            leaseConflict: self)
    }
}

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

/// A driver's write for its run was refused because the run is no longer held under the driver's lease: another
/// worker claimed it (after the lease expired, or taking over from an owner it found gone). The driver stops at
/// once, without another step or write for the run.
public struct LeaseLost: Error, Sendable, Hashable, CustomStringConvertible {
    /// The run.
    public var workflowID: String
    /// The owner the driver claimed it as.
    public var expectedOwner: String
    /// The lease epoch the driver's claim returned.
    public var expectedEpoch: Int
    /// The run's stored owner now (nil when nobody holds it).
    public var storedOwner: String?
    /// The run's stored lease epoch now (nil when the run is gone).
    public var storedEpoch: Int?

    /// The error for a store's refusal.
    public init(_ conflict: WorkflowLeaseConflict) {
        workflowID = conflict.workflowID
        expectedOwner = conflict.expected.owner
        expectedEpoch = conflict.expected.epoch
        storedOwner = conflict.storedOwner
        storedEpoch = conflict.storedEpoch
    }

    /// What happened, for an operator.
    public var description: String {
        "workflow \(workflowID): lease lost — claimed as \(expectedOwner) epoch \(expectedEpoch), now held by "
            + "\(storedOwner ?? "nobody") epoch \(storedEpoch.map(String.init) ?? "none"); this driver stopped "
            + "without further steps (see `workflow show \(workflowID)` for the new owner's progress)"
    }
}

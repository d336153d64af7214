import WorkflowEngine

extension WorkflowLeaseConflict {
    /// The error a store throws for it.
    public var error: StoreError {
        StoreError(
            "workflow \(workflowID): lease lost — this writer holds it as \(expected.owner) epoch \(expected.epoch), "
                + "but it is stored as \(storedOwner ?? "unowned") epoch \(storedEpoch.map(String.init) ?? "none"); "
                + "the write was not made",
            leaseConflict: self)
    }
}

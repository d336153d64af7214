/// A run is being driven by a live owner (this process, or another whose lease is fresh): resuming it would start a
/// second driver and repeat its steps against the hardware.
public struct WorkflowBusy: Error, CustomStringConvertible, Sendable {
    /// The run.
    public var id: String
    /// Who drives it (`host:pid`).
    public var owner: String

    /// The run `id` is driven by `owner`.
    public init(id: String, owner: String) {
        self.id = id
        self.owner = owner
    }

    /// For an operator: whose it is and what to do.
    public var description: String { "workflow \(id) is running under \(owner); cancel it first or wait" }
}

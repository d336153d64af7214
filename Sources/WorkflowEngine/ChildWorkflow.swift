/// A workflow a step starts and waits for (a firmware rollout's wave): which definition, over which server, with
/// what input.
public struct ChildWorkflow: Sendable, Hashable {
    /// The definition (`firmware-update`).
    public var definition: String
    /// The server it works on (one child per server in a batch).
    public var serverID: String
    /// Its input, as stored.
    public var input: [String: String]

    /// A child.
    public init(definition: String, serverID: String, input: [String: String]) {
        self.definition = definition
        self.serverID = serverID
        self.input = input
    }
}

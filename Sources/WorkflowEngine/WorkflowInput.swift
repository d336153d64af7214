/// What a definition's runs are started with, as a type: the engine decodes it from the stored input once per run
/// (and when the run is created, so that bad input is refused before anything is stored), and steps read it with
/// `context.input(MyInput.self)` instead of looking up keys.
public protocol WorkflowInput: Sendable {
    /// Decodes the stored input; throws an error naming the key when a value is not what the key needs.
    init(values: [String: String]) throws
    /// The input as stored (only the keys that are set).
    var values: [String: String] { get }
}

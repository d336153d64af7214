import Foundation

/// One step of a workflow run, as stored.
public struct StepRecord: Sendable, Hashable, Codable {
    /// The workflow.
    public var workflowID: String
    /// Position in the definition (0-based).
    public var index: Int
    /// The step's name (`apply-bios`).
    public var name: String
    /// Where it stands.
    public var state: StepState
    /// Attempts so far (1 on the first run).
    public var attempt: Int
    /// When the latest attempt started.
    public var started: Date?
    /// When it ended.
    public var finished: Date?
    /// What it produced, as JSON (read by later steps).
    public var output: String?
    /// Why it failed.
    public var error: String?

    /// Creates a record.
    public init(
        workflowID: String, index: Int, name: String, state: StepState = .pending, attempt: Int = 0,
        started: Date? = nil, finished: Date? = nil, output: String? = nil, error: String? = nil
    ) {
        self.workflowID = workflowID
        self.index = index
        self.name = name
        self.state = state
        self.attempt = attempt
        self.started = started
        self.finished = finished
        self.output = output
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case workflowID = "workflow_id"
        case index, name, state, attempt, started, finished, output, error
    }
}

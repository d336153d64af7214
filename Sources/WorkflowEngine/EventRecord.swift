import Foundation

/// Something that happened to a workflow; the log is append-only.
public struct EventRecord: Sendable, Hashable, Codable {
    /// Position in the store's log (assigned by the store; increasing).
    public var seq: Int64?
    /// The workflow.
    public var workflowID: String
    /// The step, when the event is about one.
    public var step: String?
    /// What happened.
    public var kind: EventKind
    /// 0–100 for the step (progress), when known.
    public var percent: Double?
    /// For a person.
    public var message: String
    /// When.
    public var at: Date

    /// Creates an event.
    public init(
        seq: Int64? = nil, workflowID: String, step: String? = nil, kind: EventKind, percent: Double? = nil,
        message: String, at: Date = Date()
    ) {
        self.seq = seq
        self.workflowID = workflowID
        self.step = step
        self.kind = kind
        self.percent = percent
        self.message = message
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case seq
        case workflowID = "workflow_id"
        case step, kind, percent, message, at
    }
}

/// What an event says happened. The raw values are what the stores keep in the `kind` column and what the API and
/// event stream show.
public enum EventKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// A run was stored.
    case workflowCreated = "workflow.created"
    /// A stopped run was reopened (an operator's resume).
    case workflowResumed = "workflow.resumed"
    /// The run waits for a person.
    case workflowWaiting = "workflow.waiting"
    /// The run was cancelled.
    case workflowCancelled = "workflow.cancelled"
    /// Every step is done.
    case workflowSucceeded = "workflow.succeeded"
    /// A step's attempt started.
    case stepStarted = "step.started"
    /// A running step reported progress.
    case stepProgress = "step.progress"
    /// A step did its work.
    case stepSucceeded = "step.succeeded"
    /// A step had nothing to do.
    case stepSkipped = "step.skipped"
    /// A step failed with a transient error and will be tried again.
    case stepRetry = "step.retry"
    /// A step failed for good (and so did its run).
    case stepFailed = "step.failed"
    /// An interrupted attempt was checked and found to have left nothing done.
    case stepChecked = "step.checked"

    /// The event ends its run's current stretch of work (succeeded, failed, waiting, cancelled).
    public var stopsRun: Bool {
        self == .workflowSucceeded || self == .stepFailed || self == .workflowWaiting || self == .workflowCancelled
    }

    /// The raw value.
    public var description: String { rawValue }
}

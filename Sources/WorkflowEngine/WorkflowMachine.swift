import Foundation

/// The state of one workflow run and its steps as a value: what to do next, and the records (plus the event that
/// says so) each transition writes. The engine persists every transition before acting on it; time is passed in.
///
/// The transitions are `@inline(never)`: their records are then built on the thread's stack, not in the async
/// frame of every engine function that calls them (inlined, they made those frames kilobytes large, and a
/// running workflow's task keeps its largest frames for its whole life).
public struct WorkflowMachine: Sendable {
    /// The run.
    public private(set) var workflow: WorkflowRecord
    /// Its steps, in order.
    public private(set) var steps: [StepRecord]

    /// What the engine does next.
    public enum Next: Sendable, Hashable {
        /// Run step `index`; `inFlight` when an earlier attempt was cut short (check it first if not idempotent).
        case run(index: Int, inFlight: Bool)
        /// Every step is done (succeeded or skipped).
        case finished
        /// The run has ended (`failed`, `cancelled`) or waits for a person.
        case stopped(state: RunState)
    }

    /// What one transition writes, in one transaction. (A class: the engine's async frames hold one per call
    /// site, and a reference keeps each running workflow's task small.)
    public final class Transition: Sendable {
        /// The run's new state, when it changed.
        public let workflow: WorkflowRecord?
        /// The step's new state, when it changed.
        public let step: StepRecord?
        /// What happened.
        public let event: EventRecord

        init(workflow: WorkflowRecord?, step: StepRecord?, event: EventRecord) {
            self.workflow = workflow
            self.step = step
            self.event = event
        }
    }

    /// A machine over stored records.
    public init(workflow: WorkflowRecord, steps: [StepRecord]) {
        self.workflow = workflow
        self.steps = steps.sorted { $0.index < $1.index }
    }

    /// Earlier steps' outputs by name.
    public var outputs: [String: String] {
        Dictionary(steps.compactMap { step in step.output.map { (step.name, $0) } }, uniquingKeysWith: { $1 })
    }

    /// What to do next.
    public func next() -> Next {
        if workflow.state.isStopped { return .stopped(state: workflow.state) }
        guard let step = steps.first(where: { !$0.state.isDone }) else { return .finished }
        return .run(index: step.index, inFlight: step.state == .running)
    }

    private mutating func update(
        _ index: Int, at now: Date, kind: EventKind, message: String, workflowState: RunState? = nil,
        reason: String?? = nil, _ change: (inout StepRecord) -> Void
    ) -> Transition {
        change(&steps[index])
        var changedWorkflow: WorkflowRecord?
        if let workflowState {
            workflow.state = workflowState
            if let reason { workflow.reason = reason }
            if workflowState.isStopped { workflow.owner = nil }
        }
        workflow.updated = now
        changedWorkflow = workflow
        return Transition(
            workflow: changedWorkflow, step: steps[index],
            event: EventRecord(
                workflowID: workflow.id, step: steps[index].name, kind: kind, message: message, at: now))
    }

    /// Step `index` starts an attempt.
    @inline(never)
    public mutating func start(_ index: Int, at now: Date) -> Transition {
        let attempt = steps[index].attempt + 1
        return update(
            index, at: now, kind: .stepStarted, message: "attempt \(attempt)", workflowState: .running,
            reason: .some(nil)
        ) {
            $0.state = .running
            $0.attempt = attempt
            $0.started = now
            $0.finished = nil
            $0.error = nil
        }
    }

    /// Step `index` did its work.
    @inline(never)
    public mutating func succeed(_ index: Int, output: String, at now: Date, checked: Bool = false) -> Transition {
        update(
            index, at: now, kind: .stepSucceeded,
            message: checked ? "found done after an interrupted attempt" : "done"
        ) {
            $0.state = .succeeded
            $0.output = output
            $0.finished = now
        }
    }

    /// Step `index` had nothing to do.
    @inline(never)
    public mutating func skip(_ index: Int, reason: String, at now: Date) -> Transition {
        update(index, at: now, kind: .stepSkipped, message: reason) {
            $0.state = .skipped
            $0.output = nil
            $0.error = reason
            $0.finished = now
        }
    }

    /// Step `index` failed with a transient error and will be tried again after `delay`.
    @inline(never)
    public mutating func retry(_ index: Int, error: String, delay: Duration, at now: Date) -> Transition {
        update(index, at: now, kind: .stepRetry, message: "\(error); retrying in \(delay)") {
            $0.state = .pending
            $0.error = error
            $0.finished = now
        }
    }

    /// Step `index` failed for good; so does the run.
    @inline(never)
    public mutating func fail(_ index: Int, error: String, at now: Date) -> Transition {
        stop(index, as: .failed, kind: .stepFailed, reason: error, at: now)
    }

    /// Step `index` needs a person; the run waits.
    @inline(never)
    public mutating func wait(_ index: Int, reason: String, at now: Date) -> Transition {
        stop(index, as: .waiting, kind: .workflowWaiting, reason: reason, at: now)
    }

    /// The run was cancelled (during step `index`, when one was running).
    @inline(never)
    public mutating func cancel(_ index: Int, reason: String, at now: Date) -> Transition {
        stop(index, as: .cancelled, kind: .workflowCancelled, reason: reason, at: now)
    }

    /// The run, and step `index` unless it had already ended, take `state`; `reason` names the step.
    private mutating func stop(_ index: Int, as state: RunState, kind: EventKind, reason: String, at now: Date)
        -> Transition
    {
        update(
            index, at: now, kind: kind, message: reason, workflowState: state,
            reason: .some("\(steps[index].name): \(reason)")
        ) {
            guard !$0.state.isDone else { return }
            $0.state = StepState(stopping: state)
            $0.error = reason
            $0.finished = now
        }
    }

    /// Every step is done.
    @inline(never)
    public mutating func finish(at now: Date) -> Transition {
        workflow.state = .succeeded
        workflow.reason = nil
        workflow.owner = nil
        workflow.updated = now
        return Transition(
            workflow: workflow, step: nil,
            event: EventRecord(workflowID: workflow.id, kind: .workflowSucceeded, message: "all steps done", at: now))
    }

    /// A waiting, failed or cancelled run is made runnable again from its first unfinished step, with `input`
    /// changes (an operator's decision such as `device_type`).
    @inline(never)
    public mutating func reopen(input: [String: String], at now: Date) -> Transition {
        workflow.state = .pending
        workflow.reason = nil
        workflow.cancelRequested = false
        workflow.input = Self.merge(workflow.input, input)
        workflow.updated = now
        var changed: StepRecord?
        if let at = steps.firstIndex(where: { $0.state.isStopping }) {
            steps[at].state = .pending
            steps[at].error = nil
            changed = steps[at]
        }
        let message =
            input.isEmpty
            ? "resumed" : "resumed with " + input.keys.sorted().map { "\($0)=\(input[$0]!)" }.joined(separator: ", ")
        return Transition(
            workflow: workflow, step: changed,
            event: EventRecord(workflowID: workflow.id, kind: .workflowResumed, message: message, at: now))
    }

    /// The run's input as a dictionary.
    public static func input(_ json: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))) ?? [:]
    }

    static func merge(_ json: String, _ changes: [String: String]) -> String {
        StepContext.json(input(json).merging(changes) { $1 })
    }
}

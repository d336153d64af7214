import Foundation
import Logging

/// What a running step knows: its workflow's input, earlier steps' outputs, and how to report progress.
public struct StepContext: Sendable {
    /// The workflow.
    public let workflowID: String
    /// The server it works on.
    public let serverID: String
    /// The step running.
    public let step: String
    /// 1 on the first attempt.
    public let attempt: Int
    /// What the workflow was started with, as stored; steps read it typed with `input(_:)`.
    public let input: [String: String]
    /// The input as its definition's `WorkflowInput` type, decoded once when the run was claimed.
    let decoded: (any WorkflowInput)?
    /// Earlier steps' outputs (JSON) by step name.
    public let outputs: [String: String]
    /// Where the step logs (carries the workflow and step as metadata).
    public let logger: Logger
    let progress: @Sendable (Double?, String) async -> Void
    let children: @Sendable (String, [ChildWorkflow]) async throws -> [WorkflowRecord]

    /// The same context with `input` as the run's input: steps that learn where to work (an address MAAS found)
    /// hand it to the shared steps this way.
    public func with<Input: WorkflowInput>(input: Input) -> StepContext {
        StepContext(
            workflowID: workflowID, serverID: serverID, step: step, attempt: attempt, input: input.values,
            decoded: input, outputs: outputs, logger: logger, progress: progress, children: children)
    }

    /// The run's input as `type` (the definition's input type: decoded once per run, else decoded now).
    public func input<Input: WorkflowInput>(_ type: Input.Type) throws -> Input {
        if let decoded = decoded as? Input { return decoded }
        return try Input(values: input)
    }

    /// Records a progress event (stored and streamed); `percent` is 0–100 for this step.
    public func report(_ message: String, percent: Double? = nil) async {
        await progress(percent, message)
    }

    /// Runs `workflows` as the batch `batch` in this engine and waits until each finishes, fails, waits for a person
    /// or is cancelled; their records, in the order given. The batch's runs that exist already (a step run again
    /// after a crash or a resume) are driven on, not created again: one child per server of the batch; one that
    /// another process holds is waited for, and taken over once that process's lease lapses. Cancelling the step
    /// (its run's cancel) cancels the children and throws `CancellationError`.
    public func runChildren(batch: String, _ workflows: [ChildWorkflow]) async throws -> [WorkflowRecord] {
        try await children(batch, workflows)
    }

    /// The output of the earlier step `key` names, decoded; nil when that step produced none (skipped, or not in
    /// this workflow).
    public func output<Output>(_ key: StepKey<Output>) throws -> Output? {
        guard let json = outputs[key.name] else { return nil }
        do {
            // Dates as `json(_:)` writes them.
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(Output.self, from: Data(json.utf8))
        } catch {
            throw StepError("the stored output of step \(key.name) cannot be read as \(Output.self): \(error)")
        }
    }

    /// `value` as the JSON a step returns in `.done(output:)`.
    public static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

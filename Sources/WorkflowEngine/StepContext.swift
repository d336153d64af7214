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
    /// What the workflow was started with (`bmc`, `credential`, `device_type`, ...).
    public let input: [String: String]
    /// Earlier steps' outputs (JSON) by step name.
    public let outputs: [String: String]
    /// Where the step logs (carries the workflow and step as metadata).
    public let logger: Logger
    let progress: @Sendable (Double?, String) async -> Void

    /// The same context with `extra` added to its input (values already in the input win): steps that learn
    /// where to work (an address MAAS found) hand it to the shared steps this way.
    public func adding(input extra: [String: String]) -> StepContext {
        StepContext(
            workflowID: workflowID, serverID: serverID, step: step, attempt: attempt,
            input: input.merging(extra) { given, _ in given }, outputs: outputs, logger: logger, progress: progress)
    }

    /// Records a progress event (stored and streamed); `percent` is 0–100 for this step.
    public func report(_ message: String, percent: Double? = nil) async {
        await progress(percent, message)
    }

    /// An earlier step's output, decoded; nil when that step produced none (skipped, or not in this workflow).
    public func output<T: Decodable>(of step: String, as type: T.Type) throws -> T? {
        guard let json = outputs[step] else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(json.utf8))
        } catch {
            throw StepError("the stored output of step \(step) cannot be read as \(T.self): \(error)")
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

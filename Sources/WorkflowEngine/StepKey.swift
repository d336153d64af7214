import Foundation

/// A step's name with the type of the output it stores: a later step reads the output through the key, as that
/// type (`context.output(CommissioningStepKeys.classify)`), and a step writes it through the key
/// (`.done(key, value)`), so a misspelt name or a mismatched type does not compile.
public struct StepKey<Output: Codable & Sendable>: Sendable, Hashable, CustomStringConvertible {
    /// The step's name in its definitions (`classify`).
    public let name: String

    /// The key of the step named `name`.
    public init(_ name: String) {
        self.name = name
    }

    /// The name.
    public var description: String { name }
}

extension StepOutcome {
    /// Done, with `value` kept as the output of the step `key` names.
    public static func done<Output>(_ key: StepKey<Output>, _ value: Output) -> StepOutcome {
        .done(output: StepContext.json(value))
    }
}

extension StepCheck {
    /// The interrupted attempt had done the work; `value` is the output of the step `key` names.
    public static func completed<Output>(_ key: StepKey<Output>, _ value: Output) -> StepCheck {
        .completed(output: StepContext.json(value))
    }
}

extension StepDefinition {
    /// A step named by `key`.
    public init<Output>(
        _ key: StepKey<Output>, idempotent: Bool, mutating: Bool = false, timeout: Duration = .seconds(900),
        retry: RetryPolicy = RetryPolicy(), check: (@Sendable (StepContext) async throws -> StepCheck)? = nil,
        run: @escaping @Sendable (StepContext) async throws -> StepOutcome
    ) {
        self.init(
            key.name, idempotent: idempotent, mutating: mutating, timeout: timeout, retry: retry, check: check,
            run: run)
    }
}

extension Collection where Element == StepRecord {
    /// The stored output of the step `key` names among these steps, decoded; nil when it has none or it cannot be
    /// read as the key's type (for views of stored runs: a step uses `StepContext.output(_:)`, which says why).
    public func output<Output>(_ key: StepKey<Output>) -> Output? {
        first { $0.name == key.name }?.output.flatMap {
            try? JSONDecoder().decode(Output.self, from: Data($0.utf8))
        }
    }
}

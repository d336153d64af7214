import WorkflowEngine

/// `firmware-rollout`: a durable workflow over many servers that updates a canary wave, then each wave, halting by
/// itself when a wave's failure rate passes the threshold (the run waits: `workflow resume` goes on, `workflow
/// cancel` aborts). Its own server id is `fleet`; each wave's servers run `firmware-update` as its children.
public enum FirmwareRollout {
    /// `firmware-rollout`.
    public static let name = "firmware-rollout"
    /// The rollout run's server id (it works on many).
    public static let serverID = "fleet"
    /// The plan step.
    public static let planKey = StepKey<RolloutPlanOutput>("plan-rollout")
    /// One step per possible wave (`wave-1` … `wave-8`); those beyond the plan are skipped.
    public static let waveKeys = (1...RolloutInput.maximumWaves).map { StepKey<RolloutWave>("wave-\($0)") }
    /// The summary step.
    public static let finishKey = StepKey<[String: Int]>("finish-rollout")

    /// The definition over `services`.
    public static func definition(_ services: CommissioningServices) -> WorkflowDefinition {
        let steps = RolloutSteps(services: services)
        let waves = waveKeys.enumerated().map { index, key in
            // Idempotent: run again it finds its wave's children and drives them on, never a second set.
            StepDefinition(
                key.name, idempotent: true, timeout: .seconds(7 * 86_400), retry: RetryPolicy(maxAttempts: 1),
                run: { try await steps.wave(index + 1, $0) })
        }
        return WorkflowDefinition(
            name: name, version: 1,
            summary:
                "update firmware in waves (a canary first), halting when a wave's failure rate passes the threshold",
            steps: [StepDefinition(planKey.name, idempotent: true, timeout: .seconds(60), run: steps.plan)] + waves
                + [StepDefinition(finishKey.name, idempotent: true, timeout: .seconds(60), run: steps.finish)],
            inputType: RolloutInput.self)
    }
}

import Foundation
import Store
import WorkflowEngine

/// The rollout's plan: the servers of each wave.
public struct RolloutPlanOutput: Sendable, Hashable, Codable {
    /// The waves' servers, in order.
    public var waves: [[String]]
    /// The halt threshold, in percent.
    public var haltAt: Double
    /// The update policy.
    public var policy: String?

    enum CodingKeys: String, CodingKey {
        case waves
        case haltAt = "halt_at"
        case policy
    }
}

/// The steps of `firmware-rollout`: plan the waves, then each wave (its servers' `firmware-update` runs, started
/// and awaited as children; BMC before BIOS within each, under the engine's per-BMC and per-vendor limits), halting
/// by itself when a wave's failure rate passes the threshold; then the summary.
struct RolloutSteps: Sendable {
    let services: CommissioningServices

    func plan(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(RolloutInput.self)
        for id in input.servers {
            let record: ServerRecord?
            do {
                record = try await services.store.server(id: id)
            } catch {
                throw StepError("the store failed: \(error)", transient: true)
            }
            guard record?.bmcAddress != nil else {
                throw StepError("server \(id) is not stored with a BMC address (`hwautomation servers list`)")
            }
        }
        let plan = RolloutPlanOutput(waves: input.plan, haltAt: input.haltAt, policy: input.policy)
        await context.report(
            "\(input.servers.count) server(s) in \(plan.waves.count) wave(s): "
                + plan.waves.map { String($0.count) }.joined(separator: ", "))
        return .done(output: StepContext.json(plan))
    }

    /// The batch of wave `number`'s runs.
    static func batch(_ rollout: String, wave number: Int) -> String { "\(rollout)-wave-\(number)" }

    func wave(_ number: Int, _ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(RolloutInput.self)
        guard let plan = try context.output(FirmwareRollout.planKey) else {
            throw StepError("no plan from plan-rollout")
        }
        guard number <= plan.waves.count else {
            return .skipped(reason: "the rollout has \(plan.waves.count) wave(s)")
        }
        let servers = plan.waves[number - 1]
        let batch = Self.batch(context.workflowID, wave: number)
        let started = try await StepError.storing {
            try await services.store.workflows(WorkflowFilter(batch: batch, limit: 1))
        }
        if number > 1, input.pauseSeconds > 0, started.isEmpty {
            await context.report("waiting \(input.pauseSeconds) s before wave \(number)")
            try await Task.sleep(for: .seconds(input.pauseSeconds))
        }
        var children: [ChildWorkflow] = []
        for id in servers {
            guard let record = try await StepError.storing({ try await services.store.server(id: id) }) else {
                throw StepError("server \(id) is no longer stored")
            }
            let previous = try await StepError.storing {
                try await CommissioningInput.previous(serverID: id, store: services.store)
            }
            var child = CommissioningInput()
            child.bmc = record.bmcAddress
            child.credential = record.credential ?? previous?.credential
            child.tls = previous?.tls
            child.system = previous?.system
            child.deviceType = record.deviceType
            child.firmwarePolicy = input.policy
            child.firmwareApprove = input.approve
            child.dryRun = input.dryRun
            children.append(ChildWorkflow(definition: FirmwareWorkflows.update, serverID: id, input: child.values))
        }
        await context.report("wave \(number): \(servers.count) server(s)")
        let runs = try await context.runChildren(batch: batch, children)
        let steps = try await StepError.storing { try await services.store.steps(workflowIDs: runs.map(\.id)) }
        var result = RolloutWave.from(wave: number, servers: servers, runs: runs, steps: steps, state: "done")
        if result.failureRate > input.haltAt {
            guard try await resumedAfterHalt(context) else {
                return .waitForOperator(
                    reason: "halted: \(result.failed.count) of \(servers.count) server(s) failed in wave \(number) "
                        + "(\(Self.percent(result.failureRate)) > \(Self.percent(input.haltAt)))"
                        + (result.rolledBack.isEmpty
                            ? "" : "; rolled back: " + result.rolledBack.joined(separator: ", "))
                        + "; failed: " + result.failed.keys.sorted().joined(separator: ", ")
                        + ". `workflow resume \(context.workflowID)` goes on, `workflow cancel` aborts")
            }
            result.state = "went_on"
        }
        return .done(output: StepContext.json(result))
    }

    /// Whether a person resumed this run after this step halted it (its `workflow.waiting` event, then a
    /// `workflow.resumed`): the halt was seen and overruled. A run merely driven again (a crash) halts again.
    func resumedAfterHalt(_ context: StepContext) async throws -> Bool {
        let events = try await StepError.storing {
            try await services.store.events(workflowID: context.workflowID, after: 0, limit: 100_000)
        }
        guard let halted = events.lastIndex(where: { $0.kind == .workflowWaiting && $0.step == context.step }) else {
            return false
        }
        return events[halted...].contains { $0.kind == .workflowResumed }
    }

    func finish(_ context: StepContext) async throws -> StepOutcome {
        var updated = 0
        var failed = 0
        var waves = 0
        for number in 1...RolloutInput.maximumWaves {
            guard let wave = try context.output(FirmwareRollout.waveKeys[number - 1]) else { continue }
            waves += 1
            updated += wave.updated.count
            failed += wave.failed.count
        }
        await context.report("\(waves) wave(s): \(updated) updated, \(failed) failed")
        return .done(output: StepContext.json(["waves": waves, "updated": updated, "failed": failed]))
    }

    static func percent(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))%" : String(format: "%.1f%%", value)
    }

}

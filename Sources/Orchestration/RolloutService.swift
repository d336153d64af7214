import Catalog
import Firmware
import Foundation
import Store
import WorkflowEngine

/// A firmware rollout as the CLI, the API and the dashboard show it: the run and each planned wave's result.
public struct RolloutView: Sendable, Hashable, Codable {
    /// The rollout run.
    public var id: String
    /// Its state (`waiting` when halted).
    public var state: RunState
    /// Why it waits, failed or was cancelled.
    public var reason: String?
    /// The update policy.
    public var policy: String?
    /// The halt threshold, in percent.
    public var haltAt: Double
    /// Whether every server's run is a dry run.
    public var dryRun: Bool
    /// Servers in all.
    public var servers: Int
    /// Each planned wave, in order.
    public var waves: [RolloutWave]
    /// When it was started.
    public var created: Date
    /// Its last change.
    public var updated: Date

    enum CodingKeys: String, CodingKey {
        case id, state, reason, policy
        case haltAt = "halt_at"
        case dryRun = "dry_run"
        case servers, waves, created, updated
    }
}

/// Starting and showing firmware rollouts (resuming and aborting are `WorkflowService.resume` and `cancel`).
public struct RolloutService: Sendable {
    let engine: Engine
    let store: any Store
    let catalog: Catalog

    /// The service over an engine that knows `firmware-rollout`, a store and the catalog.
    public init(engine: Engine, store: any Store, catalog: Catalog) {
        self.engine = engine
        self.store = store
        self.catalog = catalog
    }

    /// Creates a rollout over `servers` (in this order: the first are the canaries); audits it.
    public func start(
        _ servers: [ServerRecord], policy: String?, waves: String, haltAt: String, pauseSeconds: Int, approve: Bool,
        dryRun: Bool, actor: String
    ) async throws(ServiceError) -> WorkflowRecord {
        if let policy {
            do {
                _ = try FirmwarePlanner(catalog: catalog, images: []).policy(named: policy)
            } catch {
                throw ServiceError(.invalid, field: .policy, error.message)
            }
        }
        guard !servers.isEmpty else { throw ServiceError(.invalid, field: .servers, "no server to update") }
        let input: RolloutInput
        do {
            input = try RolloutInput(
                servers: servers.map(\.id), waves: waves, haltAt: haltAt, pauseSeconds: pauseSeconds, policy: policy,
                approve: approve, dryRun: dryRun)
        } catch {
            let field: ServiceError.Field =
                switch error.field {
                case .waves: .waves
                case .haltAt: .haltAt
                case .pauseBetween: .pauseBetween
                }
            throw ServiceError(.invalid, field: field, error.message)
        }
        let run: WorkflowRecord
        do {
            run = try await engine.create(
                definition: FirmwareRollout.name, serverID: FirmwareRollout.serverID, input: input.values)
        } catch {
            throw ServiceError(.store, "the rollout could not be stored: \(error)")
        }
        try await ServiceError.storing {
            try await store.audit(
                AuditEntry(
                    actor: actor, action: "firmware.rollout", target: run.id,
                    detail: "\(servers.count) server(s), waves \(waves), halt at \(haltAt), policy "
                        + (policy ?? FirmwarePlanner.defaultPolicy) + (dryRun ? " (dry run)" : "")))
        }
        return run
    }

    /// The rollout `id` with each planned wave: a finished wave's stored result, else its runs as they stand.
    public func show(_ id: String) async throws(ServiceError) -> RolloutView {
        guard let run = try await ServiceError.storing({ try await store.workflow(id: id) }),
            run.definition == FirmwareRollout.name
        else {
            throw ServiceError(.notFound, "no firmware rollout \(id) (`hwautomation firmware rollout list`)")
        }
        return try await view(run)
    }

    /// The newest rollouts, newest first.
    public func list(limit: Int = 50) async throws(ServiceError) -> [RolloutView] {
        var views: [RolloutView] = []
        for run in try await ServiceError.storing({
            try await store.workflows(WorkflowFilter(definition: FirmwareRollout.name, limit: limit))
        }) {
            views.append(try await view(run))
        }
        return views
    }

    func view(_ run: WorkflowRecord) async throws(ServiceError) -> RolloutView {
        let steps = try await ServiceError.storing { try await store.steps(workflowID: run.id) }
        let input = try? RolloutInput(values: WorkflowMachine.input(run.input))
        let planned = steps.output(FirmwareRollout.planKey)?.waves ?? input?.plan ?? []
        var waves: [RolloutWave] = []
        for (index, servers) in planned.enumerated() {
            let key = FirmwareRollout.waveKeys[index]
            let step = steps.first { $0.name == key.name }
            if step?.state == .succeeded, let done = steps.output(key) {
                waves.append(done)
                continue
            }
            let batch = RolloutSteps.batch(run.id, wave: index + 1)
            let runs = try await ServiceError.storing {
                try await store.workflows(WorkflowFilter(batch: batch, limit: 10_000))
            }
            let children = try await ServiceError.storing { try await store.steps(workflowIDs: runs.map(\.id)) }
            let state: String =
                switch step?.state {
                case .waiting: "halted"
                case .running: "running"
                case .failed, .cancelled: runs.isEmpty ? "not_started" : "stopped"
                default: runs.isEmpty ? "not_started" : "running"
                }
            waves.append(RolloutWave.from(wave: index + 1, servers: servers, runs: runs, steps: children, state: state))
        }
        return RolloutView(
            id: run.id, state: run.state, reason: run.reason, policy: input?.policy, haltAt: input?.haltAt ?? 0,
            dryRun: input?.dryRun ?? false, servers: input?.servers.count ?? 0, waves: waves, created: run.created,
            updated: run.updated)
    }

}

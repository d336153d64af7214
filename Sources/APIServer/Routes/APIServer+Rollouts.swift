import Catalog
import Foundation
import Hummingbird
import Orchestration
import Store
import WorkflowEngine

/// Firmware rollouts: start, list, show (resume and abort are the workflow operations'), generated from the
/// OpenAPI document, as the catalog's.
extension APIServer {
    func startRollout(_ input: Operations.StartRollout.Input) async throws -> Operations.StartRollout.Output {
        var body = RolloutRequest()
        if case .json(let given)? = input.body { body = given }
        let actor = APIRequestContext.callerActor
        let rollout = try await Self.serving { () async throws(ServiceError) in
            let selection = try ServerSelection(
                servers: body.servers ?? [], deviceType: body.deviceType, all: body.all == true)
            let servers = try await selection.servers(store: store, catalog: catalog.catalog)
            let started = try await rollouts.start(
                servers, policy: body.policy, waves: body.waves ?? "1,5%,25%,100%", haltAt: body.haltAt ?? "2%",
                pauseSeconds: try body.pauseSeconds(), approve: body.approve == true,
                dryRun: body.dryRun == true, actor: actor)
            return try await rollouts.show(started.id)
        }
        launcher.start([rollout.id])
        return .accepted(.init(body: .json(rollout)))
    }

    func listRollouts(_ input: Operations.ListRollouts.Input) async throws -> Operations.ListRollouts.Output {
        let limit = try Self.integer(input.query.limit, "limit", fallback: 20, in: 1...200)
        return .ok(
            .init(
                body: .json(
                    try await Self.serving { () async throws(ServiceError) in try await rollouts.list(limit: limit) }))
        )
    }

    func showRollout(_ input: Operations.ShowRollout.Input) async throws -> Operations.ShowRollout.Output {
        let id = input.path.id
        return .ok(
            .init(body: .json(try await Self.serving { () async throws(ServiceError) in try await rollouts.show(id) })))
    }

    /// The rollout operations over this server's engine, store and catalog.
    var rollouts: RolloutService { RolloutService(engine: engine, store: store, catalog: catalog.catalog) }
}

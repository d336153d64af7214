import Catalog
import Foundation
import Hummingbird
import Orchestration
import Store
import WorkflowEngine

extension APIServer {
    /// Firmware rollouts: start, list, show (resume and abort are the workflow routes').
    func addRollouts(to groups: RouteGroups) {
        let base = Self.prefix + "/firmware/rollouts"
        on(groups, .token(.operator), .post, base) { request, context in
            let body = try await Self.decode(RolloutRequest.self, request)
            let rollout = try await Self.serving { () async throws(ServiceError) in
                let selection = try ServerSelection(
                    servers: body.servers ?? [], deviceType: body.deviceType, all: body.all == true)
                let servers = try await selection.servers(store: store, catalog: catalog.catalog)
                let started = try await rollouts.start(
                    servers, policy: body.policy, waves: body.waves ?? "1,5%,25%,100%", haltAt: body.haltAt ?? "2%",
                    pauseSeconds: try body.pauseSeconds(), approve: body.approve == true,
                    dryRun: body.dryRun == true, actor: context.actor)
                return try await rollouts.show(started.id)
            }
            launcher.start([rollout.id])
            return try Self.json(rollout, status: .accepted)
        }
        on(groups, .token(.read), .get, base) { request, _ in
            let limit = try request.query("limit", fallback: 20, in: 1...200)
            return try Self.json(
                try await Self.serving { () async throws(ServiceError) in try await rollouts.list(limit: limit) })
        }
        on(groups, .token(.read), .get, base + "/{id}") { _, context in
            let id = try context.parameters.require("id")
            return try Self.json(
                try await Self.serving { () async throws(ServiceError) in try await rollouts.show(id) })
        }
    }

    /// The rollout operations over this server's engine, store and catalog.
    var rollouts: RolloutService { RolloutService(engine: engine, store: store, catalog: catalog.catalog) }
}

import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Inventory
import Logging
import NIOCore
import Orchestration
import Redfish
import Store
import WorkflowEngine

extension APIServer {
    /// Servers: CRUD, inventory, classification, history, discovery and BIOS on demand.
    func addServers(to groups: RouteGroups) {
        let base = Self.prefix + "/servers"
        on(groups, .token(.read), .get, base) { request, _ in
            let status = request.query("status")
            let type = request.query("device_type")
            let servers = try await Self.stored { try await store.servers() }
            return try Self.json(
                servers.filter { (status == nil || $0.status == status) && (type == nil || $0.deviceType == type) }
                    .map { ServerView($0) })
        }
        on(groups, .token(.admin), .post, base) { request, context in
            let input = try await Self.decode(ServerInput.self, request)
            guard let id = input.id else { throw ProblemDetails(.badRequest, "the body has no `id`") }
            let record = try await Self.serving { () async throws(ServiceError) in
                try await ServerService(store: store).save(id, input.change, mode: .create, actor: context.actor)
            }
            return try Self.json(ServerView(record), status: .created)
        }
        on(groups, .token(.read), .get, base + "/{id}") { _, context in
            try Self.json(try await detailView(try await server(context)))
        }
        on(groups, .token(.admin), .patch, base + "/{id}") { request, context in
            let id = try context.parameters.require("id")
            let input = try await Self.decode(ServerInput.self, request)
            let record = try await Self.serving { () async throws(ServiceError) in
                try await ServerService(store: store).save(id, input.change, mode: .update, actor: context.actor)
            }
            return try Self.json(ServerView(record))
        }
        on(groups, .token(.admin), .delete, base + "/{id}") { _, context in
            let id = try context.parameters.require("id")
            try await Self.serving { () async throws(ServiceError) in
                try await ServerService(store: store).remove(id, actor: context.actor)
            }
            return Response(status: .noContent)
        }
        on(groups, .token(.read), .get, base + "/{id}/inventory") { _, context in
            let record = try await server(context)
            guard let inventory = record.inventory else {
                throw ProblemDetails(
                    .notFound, "server \(record.id) has not been discovered yet (POST \(base)/\(record.id)/discover)")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: .init(string: inventory)))
        }
        on(groups, .token(.read), .get, base + "/{id}/recommendation") { _, context in
            let id = try context.parameters.require("id")
            let service = RecommendationService(store: store, catalog: catalog.catalog, library: firmware)
            return try Self.json(
                try await Self.serving { () async throws(ServiceError) in try await service.recommend(id) })
        }
        on(groups, .token(.read), .get, base + "/{id}/classification") { _, context in
            let record = try await server(context)
            guard let text = record.inventory,
                let inventory = try? JSONDecoder().decode(Inventory.self, from: Data(text.utf8))
            else {
                throw ProblemDetails(
                    .notFound, "server \(record.id) has no inventory to classify (POST \(base)/\(record.id)/discover)")
            }
            return try Self.json(Classifier(catalog: catalog.catalog).classify(inventory))
        }
        on(groups, .token(.read), .get, base + "/{id}/workflows") { _, context in
            let record = try await server(context)
            let runs = try await Self.stored {
                try await store.workflows(WorkflowFilter(serverID: record.id, limit: 200))
            }
            return try Self.json(runs)
        }
        on(groups, .token(.read), .get, base + "/{id}/bios/plan") { _, context in
            let record = try await server(context)
            let runs = try await Self.stored {
                try await store.workflows(WorkflowFilter(serverID: record.id, limit: 50))
            }
            let steps = try await Self.stored { try await store.steps(workflowIDs: runs.map(\.id)) }
            if let plan = newestBIOSPlan(of: runs, steps: steps) {
                return try Self.json(plan)
            }
            throw ProblemDetails(
                .notFound,
                "no BIOS plan for \(record.id) yet: POST \(base)/\(record.id)/discover plans without changing anything")
        }
        on(groups, .token(.operator), .post, base + "/{id}/discover") { request, context in
            let record = try await server(context)
            var options = try await Self.decode(RunOptions.self, request)
            options.dryRun = true
            let runs = try await start(
                CommissioningWorkflows.intelligent, servers: [record.id], options: options, context: context)
            return try Self.json(runs, status: .accepted)
        }
        on(groups, .token(.operator), .post, base + "/{id}/bios/apply") { request, context in
            let record = try await server(context)
            let options = try await Self.decode(RunOptions.self, request)
            let definition =
                options.deviceType != nil ? CommissioningWorkflows.deviceSpecific : CommissioningWorkflows.intelligent
            let runs = try await start(definition, servers: [record.id], options: options, context: context)
            return try Self.json(runs, status: .accepted)
        }
    }

    /// One server's view: the record, and whether a run planned its BIOS or validated it.
    func detailView(_ record: ServerRecord) async throws -> ServerView {
        let runs = try await Self.stored {
            try await store.workflows(WorkflowFilter(serverID: record.id, limit: 50))
        }
        let steps = try await Self.stored { try await store.steps(workflowIDs: runs.map(\.id)) }
        let validated = runs.contains { run in
            steps[run.id]?.contains { $0.name == CommissioningStepKeys.validate.name && $0.output != nil } == true
        }
        return ServerView(record, hasBIOSPlan: newestBIOSPlan(of: runs, steps: steps) != nil, hasValidation: validated)
    }

    /// The newest succeeded BIOS plan step among `runs` (newest first), from their `steps`.
    func newestBIOSPlan(of runs: [WorkflowRecord], steps: [String: [StepRecord]]) -> BIOSPlanView? {
        for run in runs {
            guard
                let step = steps[run.id]?.first(where: {
                    $0.name == CommissioningStepKeys.planBIOS.name && $0.state == .succeeded
                }),
                let output = step.output,
                let plan = try? JSONDecoder().decode(JSONValue.self, from: Data(output.utf8))
            else { continue }
            return BIOSPlanView(workflowID: run.id, planned: step.finished, plan: plan)
        }
        return nil
    }

    /// The server named by the path's `{id}`, or a 404 problem.
    func server(_ context: APIRequestContext) async throws -> ServerRecord {
        let id = try context.parameters.require("id")
        guard let record = try await Self.stored({ try await store.server(id: id) }) else {
            throw ProblemDetails(.notFound, "no server \(id)")
        }
        return record
    }
}

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

/// Servers: CRUD, inventory, classification, history, discovery and BIOS on demand (generated from the OpenAPI
/// document, as the catalog's).
extension APIServer {
    func listServers(_ input: Operations.ListServers.Input) async throws -> Operations.ListServers.Output {
        let (status, type) = (input.query.status, input.query.deviceType)
        let servers = try await Self.stored { try await store.servers() }
        return .ok(
            .init(
                body: .json(
                    servers.filter { (status == nil || $0.status == status) && (type == nil || $0.deviceType == type) }
                        .map { ServerView($0) })))
    }

    func createServer(_ input: Operations.CreateServer.Input) async throws -> Operations.CreateServer.Output {
        var body = ServerInput()
        if case .json(let given)? = input.body { body = given }
        guard let id = body.id else { throw ProblemDetails(.badRequest, "the body has no `id`") }
        let actor = APIRequestContext.callerActor
        let record = try await Self.serving { () async throws(ServiceError) in
            try await ServerService(store: store).save(id, body.change, mode: .create, actor: actor)
        }
        return .created(.init(body: .json(ServerView(record))))
    }

    func getServer(_ input: Operations.GetServer.Input) async throws -> Operations.GetServer.Output {
        .ok(.init(body: .json(try await detailView(try await server(input.path.id)))))
    }

    func updateServer(_ input: Operations.UpdateServer.Input) async throws -> Operations.UpdateServer.Output {
        var body = ServerInput()
        if case .json(let given)? = input.body { body = given }
        let (id, actor) = (input.path.id, APIRequestContext.callerActor)
        let record = try await Self.serving { () async throws(ServiceError) in
            try await ServerService(store: store).save(id, body.change, mode: .update, actor: actor)
        }
        return .ok(.init(body: .json(ServerView(record))))
    }

    func deleteServer(_ input: Operations.DeleteServer.Input) async throws -> Operations.DeleteServer.Output {
        let (id, actor) = (input.path.id, APIRequestContext.callerActor)
        try await Self.serving { () async throws(ServiceError) in
            try await ServerService(store: store).remove(id, actor: actor)
        }
        return .noContent(.init())
    }

    /// The inventory as it was recorded (stored as JSON; answered as it is).
    func getInventory(_ input: Operations.GetInventory.Input) async throws -> Operations.GetInventory.Output {
        let record = try await server(input.path.id)
        return .ok(
            .init(
                body: .json(try Self.inventory(of: record, as: JSONValue.self, missing: "has not been discovered yet")))
        )
    }

    func serverRecommendation(_ input: Operations.ServerRecommendation.Input) async throws
        -> Operations.ServerRecommendation.Output
    {
        let id = input.path.id
        let service = RecommendationService(store: store, catalog: catalog.catalog, library: firmware)
        return .ok(
            .init(
                body: .json(try await Self.serving { () async throws(ServiceError) in try await service.recommend(id) })
            )
        )
    }

    func classifyServer(_ input: Operations.ClassifyServer.Input) async throws -> Operations.ClassifyServer.Output {
        let record = try await server(input.path.id)
        let inventory = try Self.inventory(of: record, as: Inventory.self, missing: "has no inventory to classify")
        return .ok(.init(body: .json(Classifier(catalog: catalog.catalog).classify(inventory))))
    }

    func serverHistory(_ input: Operations.ServerHistory.Input) async throws -> Operations.ServerHistory.Output {
        let record = try await server(input.path.id)
        let runs = try await Self.stored { try await store.workflows(WorkflowFilter(serverID: record.id, limit: 200)) }
        return .ok(.init(body: .json(runs)))
    }

    func getBIOSPlan(_ input: Operations.GetBIOSPlan.Input) async throws -> Operations.GetBIOSPlan.Output {
        let record = try await server(input.path.id)
        let runs = try await Self.stored { try await store.workflows(WorkflowFilter(serverID: record.id, limit: 50)) }
        let steps = try await Self.stored { try await store.steps(workflowIDs: runs.map(\.id)) }
        guard let plan = newestBIOSPlan(of: runs, steps: steps) else {
            throw ProblemDetails(
                .notFound,
                "no BIOS plan for \(record.id) yet: POST \(Self.prefix)/servers/\(record.id)/discover plans without "
                    + "changing anything")
        }
        return .ok(.init(body: .json(plan)))
    }

    func discoverServer(_ input: Operations.DiscoverServer.Input) async throws -> Operations.DiscoverServer.Output {
        let record = try await server(input.path.id)
        var options = RunOptions()
        if case .json(let given)? = input.body { options = given }
        options.dryRun = true
        return .accepted(
            .init(
                body: .json(try await start(CommissioningWorkflows.intelligent, servers: [record.id], options: options))
            )
        )
    }

    func applyBIOS(_ input: Operations.ApplyBIOS.Input) async throws -> Operations.ApplyBIOS.Output {
        let record = try await server(input.path.id)
        var options = RunOptions()
        if case .json(let given)? = input.body { options = given }
        let definition =
            options.deviceType != nil ? CommissioningWorkflows.deviceSpecific : CommissioningWorkflows.intelligent
        return .accepted(.init(body: .json(try await start(definition, servers: [record.id], options: options))))
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

    /// `record`'s stored inventory read as `T`, or a 404 problem saying the server `missing` and how to discover it.
    static func inventory<T: Decodable>(of record: ServerRecord, as type: T.Type, missing: String) throws -> T {
        guard let text = record.inventory, let inventory = try? JSONDecoder().decode(T.self, from: Data(text.utf8))
        else {
            throw ProblemDetails(
                .notFound, "server \(record.id) \(missing) (POST \(Self.prefix)/servers/\(record.id)/discover)")
        }
        return inventory
    }

    /// The stored server `id`, or a 404 problem.
    func server(_ id: String) async throws -> ServerRecord {
        guard let record = try await Self.stored({ try await store.server(id: id) }) else {
            throw ProblemDetails(.notFound, "no server \(id)")
        }
        return record
    }
}

import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Orchestration
import Store
import WorkflowEngine

/// Workflows: definitions, start (one server or a batch), list, show, events, cancel, resume (generated from the
/// OpenAPI document, as the catalog's; the live event stream is `addEvents`).
extension APIServer {
    func listDefinitions(_ input: Operations.ListDefinitions.Input) async throws -> Operations.ListDefinitions.Output {
        var views: [DefinitionView] = []
        for name in await engine.definitionNames {
            guard let definition = await engine.definition(name) else { continue }
            views.append(
                DefinitionView(
                    name: name, version: definition.version, summary: definition.summary,
                    steps: definition.steps.map(\.name)))
        }
        return .ok(.init(body: .json(views)))
    }

    func startWorkflows(_ input: Operations.StartWorkflows.Input) async throws -> Operations.StartWorkflows.Output {
        var options = RunOptions()
        if case .json(let given)? = input.body { options = given }
        guard let definition = options.definition else {
            throw ProblemDetails(.badRequest, "the body has no `definition`")
        }
        guard let servers = options.servers else { throw ProblemDetails(.badRequest, "the body has no `servers`") }
        return .accepted(.init(body: .json(try await start(definition, servers: servers, options: options))))
    }

    func listWorkflows(_ input: Operations.ListWorkflows.Input) async throws -> Operations.ListWorkflows.Output {
        let query = input.query
        let state = query.state.flatMap { RunState(rawValue: $0.rawValue) }
        let limit = try Self.integer(query.limit, "limit", fallback: 50, in: 1...1000)
        let offset = try Self.integer(query.offset, "offset", fallback: 0, in: 0...10_000_000)
        // Paged and counted by the store: one page of rows read, never every matching one.
        let filter = WorkflowFilter(
            states: state.map { [$0] } ?? [], batch: query.batch, serverID: query.server,
            definition: query.definition, limit: limit, offset: offset)
        let (page, total) = try await Self.stored {
            (try await store.workflows(filter), try await store.countWorkflows(filter))
        }
        return .ok(.init(body: .json(WorkflowPage(total: total, limit: limit, offset: offset, items: page))))
    }

    func getWorkflow(_ input: Operations.GetWorkflow.Input) async throws -> Operations.GetWorkflow.Output {
        let workflow = try await workflow(input.path.id)
        let steps = try await Self.stored { try await store.steps(workflowID: workflow.id) }
        return .ok(.init(body: .json(WorkflowView(workflow: workflow, steps: steps))))
    }

    func workflowEvents(_ input: Operations.WorkflowEvents.Input) async throws -> Operations.WorkflowEvents.Output {
        let workflow = try await workflow(input.path.id)
        let after = try Self.integer(input.query.after, "after", fallback: 0, in: 0...Int.max)
        let limit = try Self.integer(input.query.limit, "limit", fallback: 500, in: 1...10_000)
        let events = try await Self.stored {
            try await store.events(workflowID: workflow.id, after: Int64(after), limit: limit)
        }
        return .ok(.init(body: .json(events)))
    }

    func cancelWorkflow(_ input: Operations.CancelWorkflow.Input) async throws -> Operations.CancelWorkflow.Output {
        let id = input.path.id
        let cancelled = try await Self.serving { () async throws(ServiceError) in try await workflows.cancel(id) }
        try await audit("workflow.cancel", cancelled.id)
        return .accepted(.init(body: .json(cancelled)))
    }

    func resumeWorkflow(_ input: Operations.ResumeWorkflow.Input) async throws -> Operations.ResumeWorkflow.Output {
        let id = input.path.id
        var options = ResumeOptions()
        if case .json(let given)? = input.body { options = given }
        let resumed = try await Self.serving { () async throws(ServiceError) in
            try await workflows.resume(id, deviceType: options.deviceType, force: options.force == true)
        }
        launcher.start([resumed.id])
        let decision = [options.deviceType.map { "device_type=\($0)" }, options.force == true ? "force=true" : nil]
        try await audit("workflow.resume", resumed.id, decision.compactMap { $0 }.joined(separator: " "))
        return .accepted(.init(body: .json(try await workflow(id))))
    }

    /// The shared workflow operations over this server's engine, store and catalog.
    var workflows: WorkflowService { WorkflowService(engine: engine, store: store, catalog: catalog.catalog) }

    /// `operation`'s answer, or its error as a problem: 400 naming the JSON field, 404, 409, 503 or 502.
    static func serving<T>(_ operation: () async throws(ServiceError) -> T) async throws -> T {
        do {
            return try await operation()
        } catch {
            let status: HTTPResponse.Status =
                switch error.kind {
                case .invalid: .badRequest
                case .notFound: .notFound
                case .conflict: .conflict
                case .store, .unavailable: .serviceUnavailable
                case .upstream: .badGateway
                }
            throw ProblemDetails(status, error.description)
        }
    }

    /// The stored workflow `id`, or a 404 problem.
    func workflow(_ id: String) async throws -> WorkflowRecord {
        guard let record = try await Self.stored({ try await store.workflow(id: id) }) else {
            throw ProblemDetails(.notFound, "no workflow \(id)")
        }
        return record
    }

    /// Creates a run of `definition` for each of `servers` (a batch when there are several) after checking every
    /// input (nothing is created when one is wrong), hands them to the launcher and records who started them.
    func start(_ definition: String, servers: [String], options: RunOptions) async throws -> [WorkflowRecord] {
        try await Self.serving { () async throws(ServiceError) in
            try await workflows.checkStart(
                definition: definition, deviceType: options.deviceType, tls: options.tls, maasURL: options.maasURL,
                maasCredential: options.maasCredential)
        }
        guard !servers.isEmpty, servers.count <= 1000 else {
            throw ProblemDetails(.badRequest, "`servers` must name 1 to 1000 stored servers")
        }
        guard Set(servers).count == servers.count else {
            throw ProblemDetails(.badRequest, "`servers` names a server twice")
        }
        // Where credentials go and how far TLS is trusted are an admin's settings: an operator starts runs with the
        // server's and the region's own.
        if let scope = APIRequestContext.caller?.scope, scope < .admin {
            for (field, given) in [
                (RunOptions.CodingKeys.maasURL, options.maasURL),
                (RunOptions.CodingKeys.maasCredential, options.maasCredential),
            ]
            where given != nil {
                throw ProblemDetails(.forbidden, "`\(field.rawValue)` is a MAAS setting: it needs an admin token")
            }
            if let tls = options.tls, tls != "verify" {
                throw ProblemDetails(.forbidden, "`tls`: \(tls) weakens TLS verification: it needs an admin token")
            }
        }
        var entries: [WorkflowService.StartEntry] = []
        for (index, id) in servers.enumerated() {
            guard let record = try await Self.stored({ try await store.server(id: id) })
            else {
                throw ProblemDetails(.badRequest, "`servers[\(index)]`: no stored server \(id)")
            }
            var input = options.input
            if input.maasURL == nil, let maas {
                input.maasURL = maas.url.absoluteString
                input.maasCredential = maas.credential
                input.maasTLS = maas.tls
            }
            if definition == MAASProvisioning.name {
                guard input.maasURL != nil else {
                    throw ProblemDetails(.badRequest, "`maas_url`: no MAAS region is configured for \(definition)")
                }
                input.maasSystemID = record.maasSystemID
            }
            input.bmc = record.bmcAddress ?? input.bmc
            input.credential = record.credential ?? input.credential
            input.sshHost = record.sshHost ?? input.sshHost
            entries.append(WorkflowService.StartEntry(serverID: id, input: input))
        }
        let actor = APIRequestContext.callerActor
        let created = try await Self.serving { () async throws(ServiceError) in
            try await workflows.start(definition, entries, dryRun: options.dryRun == true, actor: actor).runs
        }
        launcher.start(created.map(\.id))
        return created
    }
}

import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Orchestration
import Store
import WorkflowEngine

extension APIServer {
    /// Workflow states a filter may name.
    /// Workflows: definitions, start (one server or a batch), list, show, events, cancel, resume.
    func addWorkflows(to groups: RouteGroups) {
        let base = Self.prefix + "/workflows"
        on(groups, .token(.read), .get, Self.prefix + "/workflow-definitions") { _, _ in
            var views: [DefinitionView] = []
            for name in await engine.definitionNames {
                guard let definition = await engine.definition(name) else { continue }
                views.append(
                    DefinitionView(
                        name: name, version: definition.version, summary: definition.summary,
                        steps: definition.steps.map(\.name)))
            }
            return try Self.json(views)
        }
        on(groups, .token(.operator), .post, base) { request, context in
            let options = try await Self.decode(RunOptions.self, request)
            guard let definition = options.definition else {
                throw ProblemDetails(.badRequest, "the body has no `definition`")
            }
            guard let servers = options.servers else { throw ProblemDetails(.badRequest, "the body has no `servers`") }
            let runs = try await start(definition, servers: servers, options: options, context: context)
            return try Self.json(runs, status: .accepted)
        }
        on(groups, .token(.read), .get, base) { request, _ in
            var state: RunState?
            if let text = request.query("state") {
                guard let known = RunState(rawValue: text) else {
                    throw ProblemDetails(
                        .badRequest,
                        "query parameter `state` must be one of "
                            + RunState.allCases.map(\.rawValue).sorted().joined(separator: ", "))
                }
                state = known
            }
            let limit = try request.query("limit", fallback: 50, in: 1...1000)
            let offset = try request.query("offset", fallback: 0, in: 0...10_000_000)
            // Paged and counted by the store: one page of rows read, never every matching one.
            let filter = WorkflowFilter(
                states: state.map { [$0] } ?? [], batch: request.query("batch"), serverID: request.query("server"),
                definition: request.query("definition"), limit: limit, offset: offset)
            let (page, total) = try await Self.stored {
                (try await store.workflows(filter), try await store.countWorkflows(filter))
            }
            return try Self.json(WorkflowPage(total: total, limit: limit, offset: offset, items: page))
        }
        on(groups, .token(.read), .get, base + "/{id}") { _, context in
            let workflow = try await workflow(context)
            let steps = try await Self.stored {
                try await store.steps(workflowID: workflow.id)
            }
            return try Self.json(WorkflowView(workflow: workflow, steps: steps))
        }
        on(groups, .token(.read), .get, base + "/{id}/events") { request, context in
            let workflow = try await workflow(context)
            let after = try request.query("after", fallback: 0, in: 0...Int.max)
            let limit = try request.query("limit", fallback: 500, in: 1...10_000)
            let events = try await Self.stored {
                try await store.events(workflowID: workflow.id, after: Int64(after), limit: limit)
            }
            return try Self.json(events)
        }
        on(groups, .token(.operator), .post, base + "/{id}/cancel") { _, context in
            let id = try context.parameters.require("id")
            let cancelled = try await Self.serving { () async throws(ServiceError) in
                try await workflows.cancel(id)
            }
            try await audit("workflow.cancel", cancelled.id)
            return try Self.json(cancelled, status: .accepted)
        }
        on(groups, .token(.operator), .post, base + "/{id}/resume") { request, context in
            let id = try context.parameters.require("id")
            let options = try await Self.decode(ResumeOptions.self, request)
            let resumed = try await Self.serving { () async throws(ServiceError) in
                try await workflows.resume(id, deviceType: options.deviceType, force: options.force == true)
            }
            launcher.start([resumed.id])
            let decision = [options.deviceType.map { "device_type=\($0)" }, options.force == true ? "force=true" : nil]
            try await audit("workflow.resume", resumed.id, decision.compactMap { $0 }.joined(separator: " "))
            return try Self.json(try await self.workflow(context), status: .accepted)
        }
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

    /// The workflow named by the path's `{id}`, or a 404 problem.
    func workflow(_ context: APIRequestContext) async throws -> WorkflowRecord {
        let id = try context.parameters.require("id")
        guard let record = try await Self.stored({ try await store.workflow(id: id) }) else {
            throw ProblemDetails(.notFound, "no workflow \(id)")
        }
        return record
    }

    /// Creates a run of `definition` for each of `servers` (a batch when there are several) after checking every
    /// input (nothing is created when one is wrong), hands them to the launcher and records who started them.
    func start(_ definition: String, servers: [String], options: RunOptions, context: APIRequestContext)
        async throws -> [WorkflowRecord]
    {
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
        if let scope = context.token?.scope, scope < .admin {
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
        let created = try await Self.serving { () async throws(ServiceError) in
            try await workflows.start(definition, entries, dryRun: options.dryRun == true, actor: context.actor).runs
        }
        launcher.start(created.map(\.id))
        return created
    }
}

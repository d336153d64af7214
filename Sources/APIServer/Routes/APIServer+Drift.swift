import Catalog
import Foundation
import Hummingbird
import Orchestration
import Store
import WorkflowEngine

/// Drift: the report from the newest checks, one server's history, a sweep, a remediation (generated from the
/// OpenAPI document, as the catalog's).
extension APIServer {
    func driftReport(_ input: Operations.DriftReport.Input) async throws -> Operations.DriftReport.Output {
        let state = input.query.state.flatMap { DriftState(rawValue: $0.rawValue) }
        let deviceType = input.query.deviceType
        var report = try await Self.serving { () async throws(ServiceError) in
            try await drift.report(deviceType: deviceType)
        }
        if let state { report.servers = report.servers.filter { $0.state == state } }
        return .ok(.init(body: .json(report)))
    }

    func serverDrift(_ input: Operations.ServerDrift.Input) async throws -> Operations.ServerDrift.Output {
        let id = input.path.id
        let limit = try Self.integer(input.query.limit, "limit", fallback: 20, in: 1...1000)
        let history = try await Self.serving { () async throws(ServiceError) in
            try await drift.history(id, limit: limit)
        }
        return .ok(.init(body: .json(ServerDriftView(serverID: id, latest: history.first, history: history))))
    }

    func startDriftSweep(_ input: Operations.StartDriftSweep.Input) async throws -> Operations.StartDriftSweep.Output {
        var body = DriftRequest()
        if case .json(let given)? = input.body { body = given }
        try Self.requireAdminForWeakTLS(body.tls)
        let actor = APIRequestContext.callerActor
        let started = try await Self.serving { () async throws(ServiceError) in
            let servers = try await drift.servers(try body.selection())
            return try await drift.sweep(servers, tls: body.tls, actor: actor)
        }
        launcher.start(started.runs.map(\.id))
        return .accepted(.init(body: .json(DriftStartView(batch: started.batch, runs: started.runs))))
    }

    func remediateDrift(_ input: Operations.RemediateDrift.Input) async throws -> Operations.RemediateDrift.Output {
        var body = DriftRequest()
        if case .json(let given)? = input.body { body = given }
        if body.tls != nil {
            throw ProblemDetails(.badRequest, "`tls`: a remediation reaches each server as its newest run did")
        }
        let apply = body.apply == true
        let actor = APIRequestContext.callerActor
        let started = try await Self.serving { () async throws(ServiceError) in
            let servers = try await drift.servers(try body.selection())
            return try await drift.remediate(servers, apply: apply, actor: actor)
        }
        launcher.start(started.runs.map(\.id))
        return .accepted(.init(body: .json(DriftStartView(batch: started.batch, dryRun: !apply, runs: started.runs))))
    }

    /// How far TLS is trusted is an admin's setting, as for any start: a weaker `tls` from a smaller token is a 403.
    static func requireAdminForWeakTLS(_ tls: String?) throws {
        if let tls, tls != "verify", let scope = APIRequestContext.caller?.scope, scope < .admin {
            throw ProblemDetails(.forbidden, "`tls`: \(tls) weakens TLS verification: it needs an admin token")
        }
    }

    /// The drift operations over this server's engine, store and catalog.
    var drift: DriftService { DriftService(engine: engine, store: store, catalog: catalog.catalog) }
}

import Catalog
import Foundation
import Hummingbird
import Orchestration
import Store
import WorkflowEngine

extension APIServer {
    /// Drift: the report from the newest checks, one server's history, a sweep, a remediation.
    func addDrift(to groups: RouteGroups) {
        let base = Self.prefix + "/drift"
        on(groups, .token(.read), .get, base) { request, _ in
            var state: DriftState?
            if let text = request.query("state") {
                guard let known = DriftState(rawValue: text) else {
                    throw ProblemDetails(
                        .badRequest,
                        "query parameter `state` must be one of "
                            + DriftState.allCases.map(\.rawValue).joined(separator: ", "))
                }
                state = known
            }
            let deviceType = request.query("device_type")
            var report = try await Self.serving { () async throws(ServiceError) in
                try await drift.report(deviceType: deviceType)
            }
            if let state { report.servers = report.servers.filter { $0.state == state } }
            return try Self.json(report)
        }
        on(groups, .token(.read), .get, Self.prefix + "/servers/{id}/drift") { request, context in
            let id = try context.parameters.require("id")
            let limit = try request.query("limit", fallback: 20, in: 1...1000)
            let history = try await Self.serving { () async throws(ServiceError) in
                try await drift.history(id, limit: limit)
            }
            return try Self.json(ServerDriftView(serverID: id, latest: history.first, history: history))
        }
        on(groups, .token(.operator), .post, base + "/sweep") { request, context in
            let body = try await Self.decode(DriftRequest.self, request)
            // How far TLS is trusted is an admin's setting, as for any start.
            if let tls = body.tls, tls != "verify", let scope = context.token?.scope, scope < .admin {
                throw ProblemDetails(.forbidden, "`tls`: \(tls) weakens TLS verification: it needs an admin token")
            }
            let started = try await Self.serving { () async throws(ServiceError) in
                let servers = try await drift.servers(try body.selection())
                return try await drift.sweep(servers, tls: body.tls, actor: context.actor)
            }
            launcher.start(started.runs.map(\.id))
            return try Self.json(DriftStartView(batch: started.batch, runs: started.runs), status: .accepted)
        }
        on(groups, .token(.operator), .post, base + "/remediate") { request, context in
            let body = try await Self.decode(DriftRequest.self, request)
            if body.tls != nil {
                throw ProblemDetails(.badRequest, "`tls`: a remediation reaches each server as its newest run did")
            }
            let apply = body.apply == true
            let started = try await Self.serving { () async throws(ServiceError) in
                let servers = try await drift.servers(try body.selection())
                return try await drift.remediate(servers, apply: apply, actor: context.actor)
            }
            launcher.start(started.runs.map(\.id))
            return try Self.json(
                DriftStartView(batch: started.batch, dryRun: !apply, runs: started.runs), status: .accepted)
        }
    }

    /// The drift operations over this server's engine, store and catalog.
    var drift: DriftService { DriftService(engine: engine, store: store, catalog: catalog.catalog) }
}

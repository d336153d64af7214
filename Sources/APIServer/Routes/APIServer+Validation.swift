import Catalog
import Foundation
import Hummingbird
import Orchestration
import Store

extension APIServer {
    /// Boarding validation: start it for a selection, a server's newest report, the servers that need attention.
    func addValidation(to groups: RouteGroups) {
        let base = Self.prefix + "/validation"
        on(groups, .token(.read), .get, base) { request, _ in
            let deviceType = request.query("device_type")
            let reports = try await Self.serving { () async throws(ServiceError) in
                try await validation.attention(deviceType: deviceType)
            }
            return try Self.json(AttentionView(needsAttention: reports))
        }
        on(groups, .token(.read), .get, Self.prefix + "/servers/{id}/validation") { _, context in
            let id = try context.parameters.require("id")
            return try Self.json(
                try await Self.serving { () async throws(ServiceError) in try await validation.report(id) })
        }
        on(groups, .token(.operator), .post, base) { request, context in
            let body = try await Self.decode(DriftRequest.self, request)
            if body.apply != nil {
                throw ProblemDetails(.badRequest, "`apply`: validation reads only; there is nothing to apply")
            }
            // How far TLS is trusted is an admin's setting, as for any start.
            if let tls = body.tls, tls != "verify", let scope = context.token?.scope, scope < .admin {
                throw ProblemDetails(.forbidden, "`tls`: \(tls) weakens TLS verification: it needs an admin token")
            }
            let started = try await Self.serving { () async throws(ServiceError) in
                let servers = try await validation.servers(try body.selection())
                return try await validation.start(servers, tls: body.tls, actor: context.actor)
            }
            launcher.start(started.runs.map(\.id))
            return try Self.json(DriftStartView(batch: started.batch, runs: started.runs), status: .accepted)
        }
    }

    /// The validation operations over this server's engine, store and catalog.
    var validation: ValidationService { ValidationService(engine: engine, store: store, catalog: catalog.catalog) }
}

/// `GET /validation`: the servers that need attention, each with its newest report.
struct AttentionView: Encodable {
    var needsAttention: [BoardingReport]

    enum CodingKeys: String, CodingKey {
        case needsAttention = "needs_attention"
    }
}

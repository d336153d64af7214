import Catalog
import Foundation
import Hummingbird
import Orchestration
import Store
import WorkflowEngine

/// Boarding validation: start it for a selection, a server's newest report, the servers that need attention
/// (generated from the OpenAPI document, as the catalog's).
extension APIServer {
    func listNeedsAttention(_ input: Operations.ListNeedsAttention.Input) async throws
        -> Operations.ListNeedsAttention.Output
    {
        let deviceType = input.query.deviceType
        let reports = try await Self.serving { () async throws(ServiceError) in
            try await validation.attention(deviceType: deviceType)
        }
        return .ok(.init(body: .json(AttentionView(needsAttention: reports))))
    }

    func serverValidation(_ input: Operations.ServerValidation.Input) async throws -> Operations.ServerValidation.Output
    {
        let id = input.path.id
        return .ok(
            .init(
                body: .json(try await Self.serving { () async throws(ServiceError) in try await validation.report(id) })
            )
        )
    }

    func startValidation(_ input: Operations.StartValidation.Input) async throws -> Operations.StartValidation.Output {
        var body = DriftRequest()
        if case .json(let given)? = input.body { body = given }
        if body.apply != nil {
            throw ProblemDetails(.badRequest, "`apply`: validation reads only; there is nothing to apply")
        }
        try Self.requireAdminForWeakTLS(body.tls)
        let actor = APIRequestContext.callerActor
        let started = try await Self.serving { () async throws(ServiceError) in
            let servers = try await validation.servers(try body.selection())
            return try await validation.start(servers, tls: body.tls, actor: actor)
        }
        launcher.start(started.runs.map(\.id))
        return .accepted(.init(body: .json(DriftStartView(batch: started.batch, runs: started.runs))))
    }

    /// The validation operations over this server's engine, store and catalog.
    var validation: ValidationService { ValidationService(engine: engine, store: store, catalog: catalog.catalog) }
}

/// `GET /validation`: the servers that need attention, each with its newest report.
struct AttentionView: Sendable, Hashable, Codable {
    var needsAttention: [BoardingReport]

    enum CodingKeys: String, CodingKey {
        case needsAttention = "needs_attention"
    }
}

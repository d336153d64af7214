import HTTPTypes
import Store

/// The audit log, newest first (generated from the OpenAPI document, as the catalog's).
extension APIServer {
    func auditLog(_ input: Operations.AuditLog.Input) async throws -> Operations.AuditLog.Output {
        let limit = input.query.limit ?? 100
        guard (1...10_000).contains(limit) else {
            throw ProblemDetails(.badRequest, "query parameter `limit` must be an integer from 1 to 10000")
        }
        let actor = input.query.actor
        let entries = try await Self.stored { try await store.auditLog(limit: limit) }
        return .ok(.init(body: .json(entries.filter { actor == nil || $0.actor == actor })))
    }
}

import HTTPTypes
import Store

/// The audit log, newest first (generated from the OpenAPI document, as the catalog's).
extension APIServer {
    func auditLog(_ input: Operations.AuditLog.Input) async throws -> Operations.AuditLog.Output {
        let limit = try Self.integer(input.query.limit, "limit", fallback: 100, in: 1...10_000)
        let actor = input.query.actor
        let entries = try await Self.stored { try await store.auditLog(limit: limit) }
        return .ok(.init(body: .json(entries.filter { actor == nil || $0.actor == actor })))
    }
}

import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store
import WorkflowEngine

extension APIServer {
    /// The audit log, newest first.
    func addAudit(to groups: RouteGroups) {
        on(groups, .token(.read), .get, Self.prefix + "/audit") { request, _ in
            let limit = try request.query("limit", fallback: 100, in: 1...10_000)
            let actor = request.query("actor")
            let entries = try await Self.stored { try await store.auditLog(limit: limit) }
            return try Self.json(entries.filter { actor == nil || $0.actor == actor })
        }
    }
}

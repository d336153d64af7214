import Foundation
import Hummingbird
import Orchestration
import Store

extension APIServer {
    /// MAAS: its machines, and sync (import, link, drift).
    func addMAAS(to groups: RouteGroups) {
        let base = Self.prefix + "/maas"
        on(groups, .token(.read), .get, base + "/machines") { request, _ in
            let status = request.query("status")
            return try Self.json(
                try await withMAAS { (service) async throws(ServiceError) in try await service.machines(status: status)
                })
        }
        on(groups, .token(.admin), .post, base + "/sync") { _, _ in
            let rows = try await withMAAS { (service) async throws(ServiceError) in try await service.sync() }
            try await audit(
                "maas.sync", maas?.url.absoluteString ?? "-",
                "\(rows.count) machine(s), \(rows.filter { !$0.drift.isEmpty }.count) drifted")
            return try Self.json(rows)
        }
    }

    /// Runs `body` with the configured region's service: a 503 problem when there is none or it cannot be used
    /// (nothing sent), a 502 when MAAS fails.
    func withMAAS<T: Sendable>(_ body: (MAASService) async throws(ServiceError) -> T) async throws -> T {
        guard let maas else {
            throw ProblemDetails(
                .serviceUnavailable, "no MAAS region is configured (serve --maas-url URL --maas-credential NAME)")
        }
        let service = MAASService(maas, store: store, logger: logger)
        return try await Self.serving { () async throws(ServiceError) in try await body(service) }
    }
}

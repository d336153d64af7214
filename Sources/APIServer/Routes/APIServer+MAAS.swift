import Foundation
import Hummingbird
import Orchestration
import Store

/// MAAS's operations are generated from the OpenAPI document, as the catalog's.
extension APIServer {
    /// MAAS: its machines (only those in `status` when given).
    func maasMachines(_ input: Operations.MaasMachines.Input) async throws -> Operations.MaasMachines.Output {
        let status = input.query.status
        return .ok(
            .init(
                body: .json(
                    try await withMAAS { (service) async throws(ServiceError) in
                        try await service.machines(status: status)
                    })))
    }

    /// MAAS sync: import, link, drift.
    func maasSync(_ input: Operations.MaasSync.Input) async throws -> Operations.MaasSync.Output {
        let rows = try await withMAAS { (service) async throws(ServiceError) in try await service.sync() }
        try await audit(
            "maas.sync", maas?.url.absoluteString ?? "-",
            "\(rows.count) machine(s), \(rows.filter { !$0.drift.isEmpty }.count) drifted")
        return .ok(.init(body: .json(rows)))
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

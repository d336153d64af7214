import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MAAS
import NIOCore
import Orchestration
import Store
import WorkflowEngine

extension APIServer {
    /// MAAS: its machines, and sync (import, link, drift).
    func addMAAS(to groups: RouteGroups) {
        let base = Self.prefix + "/maas"
        on(groups, .token(.read), .get, base + "/machines") { request, _ in
            let status = request.query("status")?.lowercased()
            let machines = try await withMAAS { client in try await client.machines() }
            return try Self.json(
                machines.filter { status == nil || $0.statusName.lowercased() == status }.map(MAASMachineView.init))
        }
        on(groups, .token(.admin), .post, base + "/sync") { _, context in
            let rows = try await withMAAS { client in try await MAASSync.run(client: client, store: store) }
            try await audit(
                context, "maas.sync", maas?.url.absoluteString ?? "-",
                "\(rows.count) machine(s), \(rows.filter { !$0.drift.isEmpty }.count) drifted")
            return try Self.json(rows)
        }
    }

    /// Runs `body` with a client of the configured region (a 503 problem when there is none, a 502 when MAAS fails).
    func withMAAS<T: Sendable>(_ body: (MAASClient) async throws -> T) async throws -> T {
        guard let maas else {
            throw ProblemDetails(
                .serviceUnavailable, "no MAAS region is configured (serve --maas-url URL --maas-credential NAME)")
        }
        guard
            let key = try await Self.stored({
                try await store.credential(name: maas.credential)
            })
        else {
            throw ProblemDetails(.serviceUnavailable, "the MAAS credential \(maas.credential) is not stored")
        }
        do {
            try key.check(sendingTo: maas.url)
        } catch {
            throw ProblemDetails(.serviceUnavailable, "\(error)")
        }
        let client: MAASClient
        do {
            client = MAASClient(
                endpoint: try MAASEndpoint(url: maas.url, apiKey: key.secret, tlsPolicy: maas.tls), logger: logger)
        } catch {
            throw ProblemDetails(.serviceUnavailable, "the MAAS settings are not usable: \(error)")
        }
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            if let problem = error as? ProblemDetails { throw problem }
            if error is StoreError { throw ProblemDetails(.serviceUnavailable, "the store failed: \(error)") }
            throw ProblemDetails(.badGateway, "MAAS at \(maas.url.absoluteString) failed: \(error)")
        }
    }
}

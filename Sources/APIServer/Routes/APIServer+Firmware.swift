import Catalog
import Firmware
import Foundation
import HTTPTypes
import Hummingbird
import Orchestration
import Store
import WorkflowEngine

extension APIServer {
    /// Firmware: the repository's images, the compliance report, a server's recorded versions and plan, and the
    /// firmware-update workflow.
    func addFirmware(to groups: RouteGroups) {
        let base = Self.prefix + "/firmware"
        on(groups, .token(.read), .get, base + "/images") { _, _ in
            try Self.json(try firmwareImages())
        }
        on(groups, .token(.read), .get, base + "/compliance") { request, _ in
            let images = try firmwareImages()
            let policy = try firmwarePolicy(request)
            do {
                return try Self.json(
                    try await FirmwareCompliance.report(
                        store: store, catalog: catalog.catalog, images: images, policy: policy))
            } catch let error as StoreError {
                throw ProblemDetails(.serviceUnavailable, "the store failed: \(error.message)")
            }
        }
        let servers = Self.prefix + "/servers/{id}/firmware"
        on(groups, .token(.read), .get, servers) { _, context in
            let record = try await server(context)
            return try Self.json(FirmwareCompliance.recorded(record, catalog: catalog.catalog).firmware)
        }
        on(groups, .token(.read), .get, servers + "/plan") { request, context in
            let record = try await server(context)
            let (target, firmware) = FirmwareCompliance.recorded(record, catalog: catalog.catalog)
            guard let target else {
                throw ProblemDetails(
                    .conflict, "the store does not know who made \(record.id): discover it first (POST .../discover)")
            }
            let planner = FirmwarePlanner(catalog: catalog.catalog, images: try firmwareImages())
            do {
                return try Self.json(
                    try planner.plan(
                        server: record.id, target: target, inventory: firmware, policyName: try firmwarePolicy(request),
                        approve: request.query("approve") == "true"))
            } catch let error as FirmwareError {
                throw ProblemDetails(.badRequest, error.message)
            }
        }
        on(groups, .token(.operator), .post, servers + "/update") { request, context in
            let record = try await server(context)
            let options = try await Self.decode(RunOptions.self, request)
            let runs = try await start(
                FirmwareWorkflows.update, servers: [record.id], options: options, context: context)
            return try Self.json(runs, status: .accepted)
        }
    }

    /// The repository's images, or a 503 problem saying why they cannot be read.
    func firmwareImages() throws -> [FirmwareImage] {
        do {
            return try firmware.images()
        } catch {
            throw ProblemDetails(.serviceUnavailable, "the firmware repository: \(error.message)")
        }
    }

    /// The `policy` query parameter, checked against the catalog's policies (a 400 problem naming them).
    func firmwarePolicy(_ request: Request) throws -> String? {
        guard let policy = request.query("policy") else { return nil }
        guard catalog.catalog.firmware.policies[policy] != nil else {
            throw ProblemDetails(
                .badRequest,
                "query parameter `policy`: no update policy \(policy); the catalog has "
                    + catalog.catalog.firmware.policies.keys.sorted().joined(separator: ", "))
        }
        return policy
    }
}

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
            let policy = request.query("policy")
            return try Self.json(
                try await Self.serving { () async throws(ServiceError) in
                    try await firmwareService.compliance(policy: policy)
                })
        }
        let servers = Self.prefix + "/servers/{id}/firmware"
        on(groups, .token(.read), .get, servers) { _, context in
            let record = try await server(context)
            return try Self.json(FirmwareCompliance.recorded(record, catalog: catalog.catalog).firmware)
        }
        on(groups, .token(.read), .get, servers + "/plan") { request, context in
            let id = try context.parameters.require("id")
            let (policy, approve) = (request.query("policy"), request.query("approve") == "true")
            return try Self.json(
                try await Self.serving { () async throws(ServiceError) in
                    try await firmwareService.plan(id, policy: policy, approve: approve)
                })
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
            return try firmwareService.images()
        } catch {
            throw ProblemDetails(.serviceUnavailable, error.message)
        }
    }

    /// The firmware operations over this server's store, catalog and repository.
    var firmwareService: FirmwareService { FirmwareService(store: store, catalog: catalog.catalog, library: firmware) }
}

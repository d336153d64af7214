import Catalog
import Firmware
import Foundation
import HTTPTypes
import Hummingbird
import Orchestration
import Store
import WorkflowEngine

/// Firmware: the repository's images, the compliance report, a server's recorded versions and plan, and the
/// firmware-update workflow (generated from the OpenAPI document, as the catalog's).
extension APIServer {
    func firmwareImages(_ input: Operations.FirmwareImages.Input) async throws -> Operations.FirmwareImages.Output {
        .ok(.init(body: .json(try firmwareImages())))
    }

    func firmwareCompliance(_ input: Operations.FirmwareCompliance.Input) async throws
        -> Operations.FirmwareCompliance.Output
    {
        let policy = input.query.policy
        return .ok(
            .init(
                body: .json(
                    try await Self.serving { () async throws(ServiceError) in
                        try await firmwareService.compliance(policy: policy)
                    })))
    }

    func getServerFirmware(_ input: Operations.GetServerFirmware.Input) async throws
        -> Operations.GetServerFirmware.Output
    {
        let record = try await server(input.path.id)
        return .ok(.init(body: .json(FirmwareCompliance.recorded(record, catalog: catalog.catalog).firmware)))
    }

    func getFirmwarePlan(_ input: Operations.GetFirmwarePlan.Input) async throws -> Operations.GetFirmwarePlan.Output {
        let (id, policy, approve) = (
            input.path.id, input.query.policy, input.query.approve?.rawValue == "true"
        )
        return .ok(
            .init(
                body: .json(
                    try await Self.serving { () async throws(ServiceError) in
                        try await firmwareService.plan(id, policy: policy, approve: approve)
                    })))
    }

    func updateFirmware(_ input: Operations.UpdateFirmware.Input) async throws -> Operations.UpdateFirmware.Output {
        let record = try await server(input.path.id)
        var options = RunOptions()
        if case .json(let given)? = input.body { options = given }
        return .accepted(
            .init(body: .json(try await start(FirmwareWorkflows.update, servers: [record.id], options: options))))
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

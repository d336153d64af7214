import Catalog
import Firmware
import Foundation
import Store

/// The firmware operations the CLI and the API share over recorded servers: a policy's name checked, a stored
/// server's plan from its recorded versions, the compliance report. (Live plans read a BMC and stay with the CLI.)
public struct FirmwareService: Sendable {
    let store: any Store
    let catalog: Catalog
    let library: FirmwareLibrary

    /// The service over a store, the catalog and the firmware repository.
    public init(store: any Store, catalog: Catalog, library: FirmwareLibrary) {
        self.store = store
        self.catalog = catalog
        self.library = library
    }

    /// `name` when the catalog has that update policy (nil stays nil: the default).
    public func policy(_ name: String?) throws(ServiceError) -> String? {
        guard let name else { return nil }
        guard catalog.firmware.policies[name] != nil else {
            throw ServiceError(
                .invalid, field: .policy,
                "no update policy \(name); the catalog has "
                    + catalog.firmware.policies.keys.sorted().joined(separator: ", "))
        }
        return name
    }

    /// The repository's images.
    public func images() throws(ServiceError) -> [FirmwareImage] {
        do {
            return try library.images()
        } catch {
            throw ServiceError(.unavailable, "the firmware repository: \(error.message)")
        }
    }

    /// Stored server `id`'s plan under `policy` from the versions its record holds.
    public func plan(_ id: String, policy: String?, approve: Bool) async throws(ServiceError) -> FirmwarePlan {
        let policy = try self.policy(policy)
        guard let record = try await ServiceError.storing({ try await store.server(id: id) }) else {
            throw ServiceError(.notFound, "no stored server \(id) (`hwautomation servers list`)")
        }
        let (target, firmware) = FirmwareCompliance.recorded(record, catalog: catalog)
        guard let target else {
            throw ServiceError(.conflict, "the store does not know who made \(id): discover it first")
        }
        do {
            return try FirmwarePlanner(catalog: catalog, images: try images()).plan(
                server: id, target: target, inventory: firmware, policyName: policy, approve: approve)
        } catch let error as ServiceError {
            throw error
        } catch {
            throw ServiceError(.invalid, field: .policy, "\(error)")
        }
    }

    /// The compliance report over every stored server under `policy`.
    public func compliance(policy: String?) async throws(ServiceError) -> FirmwareComplianceReport {
        let policy = try self.policy(policy)
        let images = try images()
        return try await ServiceError.storing {
            try await FirmwareCompliance.report(store: store, catalog: catalog, images: images, policy: policy)
        }
    }

}

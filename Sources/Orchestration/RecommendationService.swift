import Catalog
import Firmware
import Foundation
import Inventory
import Store

/// A stored server's workflow recommendation with what steered it: the type, vendor, BIOS method and licence
/// reasons from its recorded inventory (`WorkflowRecommendation`), and the repository's security or critical
/// firmware updates its recorded versions lack, which make it firmware-first.
public struct ServerRecommendation: Sendable, Hashable, Codable {
    /// The server.
    public var serverID: String
    /// The recommendation.
    public var recommendation: WorkflowRecommendation
    /// Security or critical updates pending under the default policy (`bmc 1.73.14 → 1.74.06 (security)`).
    public var urgentFirmware: [String]

    enum CodingKeys: String, CodingKey {
        case serverID = "server_id"
        case recommendation
        case urgentFirmware = "urgent_firmware"
    }
}

/// Recommendations for stored servers (`GET /servers/{id}/recommendation`, `recommend --server`).
public struct RecommendationService: Sendable {
    let store: any Store
    let catalog: Catalog
    let firmware: FirmwareService

    /// The service over a store, the catalog and the firmware repository.
    public init(store: any Store, catalog: Catalog, library: FirmwareLibrary) {
        self.store = store
        self.catalog = catalog
        firmware = FirmwareService(store: store, catalog: catalog, library: library)
    }

    /// Server `id`'s recommendation from its recorded inventory; a conflict when it was never discovered.
    public func recommend(_ id: String) async throws(ServiceError) -> ServerRecommendation {
        let record: ServerRecord?
        do {
            record = try await store.server(id: id)
        } catch {
            throw ServiceError(.store, "the store failed: \(error)")
        }
        guard let record else { throw ServiceError(.notFound, "no stored server \(id) (`hwautomation servers list`)") }
        guard let text = record.inventory,
            let inventory = try? JSONDecoder().decode(Inventory.self, from: Data(text.utf8))
        else {
            throw ServiceError(.conflict, "\(id) has no recorded inventory: discover it first")
        }
        let classification = Classifier(catalog: catalog).classify(inventory)
        var recommendation = WorkflowRecommendation(
            inventory: inventory, classification: classification, catalog: catalog)
        var urgent: [String] = []
        if let plan = try? await firmware.plan(id, policy: nil, approve: false) { urgent = plan.urgentUpdates }
        recommendation.steer(urgent: urgent)
        return ServerRecommendation(serverID: id, recommendation: recommendation, urgentFirmware: urgent)
    }
}

import Catalog
import Firmware
import Foundation
import Inventory
import Store

/// The firmware compliance report over every server the store records: versions from each server's recorded
/// inventory (discovery and the firmware workflows write them), plans from the repository under one policy.
public enum FirmwareCompliance {
    /// The report; servers with no recorded vendor are listed with status `unknown`.
    public static func report(
        store: any Store, catalog: Catalog, images: [FirmwareImage], policy: String?
    ) async throws -> FirmwareComplianceReport {
        let planner = FirmwarePlanner(catalog: catalog, images: images)
        let name = policy ?? FirmwarePlanner.defaultPolicy
        _ = try planner.policy(named: name)
        var plans: [(plan: FirmwarePlan, deviceType: String?, vendor: String?)] = []
        for server in try await store.servers() {
            let inventory = server.inventory.flatMap {
                try? JSONDecoder().decode(Inventory.self, from: Data($0.utf8))
            }
            let type = server.deviceType.flatMap { catalog.deviceType(named: $0) }
            let vendor = type?.vendor ?? VendorName.normalise(inventory?.system.manufacturer)
            let firmware = FirmwareInventory.from(
                biosVersion: inventory?.bios.version, bmcVersion: inventory?.bmc?.firmware, source: "store")
            guard let vendor else {
                let unknown = [FirmwareComponent.bmc, .bios].map {
                    FirmwarePlanItem(
                        component: $0, current: firmware.version(of: $0), available: nil, target: nil,
                        decision: .unknown, reason: "the server's vendor is not recorded (discover it first)",
                        behindBy: 0, estimatedSeconds: nil)
                }
                plans.append((FirmwarePlan(server: server.id, policy: name, items: unknown), server.deviceType, nil))
                continue
            }
            let plan = try planner.plan(
                server: server.id,
                target: FirmwareTarget(
                    vendor: vendor, deviceType: server.deviceType, board: inventory?.baseboard.product,
                    model: inventory?.system.product),
                inventory: firmware, policyName: name)
            plans.append((plan, server.deviceType, vendor))
        }
        return FirmwareComplianceReport(policy: name, plans: plans)
    }
}

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
            let (target, firmware) = recorded(server, catalog: catalog)
            guard let target else {
                let unknown = [FirmwareComponent.bmc, .bios].map {
                    FirmwarePlanItem(
                        component: $0, current: firmware.version(of: $0), available: nil, target: nil,
                        decision: .unknown, reason: "the server's vendor is not recorded (discover it first)",
                        behindBy: 0, estimatedSeconds: nil)
                }
                plans.append((FirmwarePlan(server: server.id, policy: name, items: unknown), server.deviceType, nil))
                continue
            }
            let plan = try planner.plan(server: server.id, target: target, inventory: firmware, policyName: name)
            plans.append((plan, server.deviceType, target.vendor))
        }
        return FirmwareComplianceReport(policy: name, plans: plans)
    }

    /// What a stored server is (vendor from its type or its inventory; nil when neither says) and the firmware
    /// versions its recorded inventory holds.
    public static func recorded(_ record: ServerRecord, catalog: Catalog) -> (
        target: FirmwareTarget?, firmware: FirmwareInventory
    ) {
        let inventory = record.inventory.flatMap { try? JSONDecoder().decode(Inventory.self, from: Data($0.utf8)) }
        let type = record.deviceType.flatMap { catalog.deviceType(named: $0) }
        let firmware = FirmwareInventory.from(
            biosVersion: inventory?.bios.version, bmcVersion: inventory?.bmc?.firmware, source: "store")
        guard let vendor = type?.vendor ?? VendorName.normalise(inventory?.system.manufacturer) else {
            return (nil, firmware)
        }
        let target = FirmwareTarget(
            vendor: vendor, deviceType: record.deviceType, board: inventory?.baseboard.product,
            model: inventory?.system.product)
        return (target, firmware)
    }
}

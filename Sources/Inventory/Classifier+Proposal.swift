import Catalog
import Foundation

extension Classifier {
    /// A catalog entry (our schema, YAML) describing unknown hardware, for a person to review and add. `inventory` is
    /// normalised (`Normalisation`): placeholders are gone, sizes and speeds are the marketing ones, and only data
    /// ports count.
    static func proposal(for inventory: Inventory) -> String? {
        guard let type = proposedType(normalised: inventory) else { return nil }
        return try? CatalogWriter.renderDeviceTypes([type])
    }

    /// The device type a catalog entry for this hardware would be (the one `Classification.proposal` shows): named
    /// `proposed.<board>.c<cores>.m<GiB>`, its hardware the inventory's after `Normalisation` (memory as installed,
    /// drives of 64 GB or more grouped by kind and marketing size, data ports by speed). Nil when the inventory
    /// states neither cores nor memory.
    public static func proposedType(for inventory: Inventory) -> DeviceType? {
        proposedType(normalised: inventory.isNormalised ? inventory : Normalisation.normalised(inventory))
    }

    /// `proposedType(for:)` of a normalised inventory.
    static func proposedType(normalised inventory: Inventory) -> DeviceType? {
        guard inventory.cpu.physicalCores != nil || inventory.memory.totalGiB != nil else { return nil }
        let vendor = inventory.system.vendor ?? VendorName.normalise(inventory.system.manufacturer) ?? "unknown"
        let cores = inventory.cpu.physicalCores ?? 0
        let memory = inventory.memory.totalGiB.map { roundedMemory($0, usable: inventory.memory.totalIsUsable) }
        let board = inventory.baseboard.product ?? (vendor == "hpe" ? inventory.system.product : nil)
        let slug = (board ?? inventory.system.product ?? "server").lowercased()
            .map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let name = "proposed.\(String(slug)).c\(cores).m\(memory ?? 0)"
        let drives = Dictionary(
            grouping: inventory.storage.filter { Double($0.sizeBytes) >= InventoryFeatures.smallestDataDrive }
        ) { drive in
            "\(drive.kind.rawValue)|\(marketingSize(Double(drive.sizeBytes) / 1e9))"
        }
        let storage: [DriveGroup]? =
            inventory.storage.isEmpty
            ? nil
            : drives.keys.sorted().map { key in
                let parts = key.split(separator: "|")
                let kind: DriveGroup.Kind
                switch parts[0] {
                case "nvme": kind = .nvme
                case "hdd": kind = .hdd
                case "pmem": kind = .persistentMemory
                default: kind = .ssd
                }
                return DriveGroup(count: drives[key]!.count, sizeGB: Double(parts[1]) ?? 0, kind: kind)
            }
        let speeds = Dictionary(
            grouping: inventory.nics.filter(\.isDataPort).compactMap(\.speedMbps).filter { $0 > 0 }
        ) { $0 }
        let network: [NICGroup]? =
            speeds.isEmpty
            ? nil : speeds.keys.sorted(by: >).map { NICGroup(count: speeds[$0]!.count, speedGbps: Double($0) / 1000) }
        let model = inventory.cpu.model.map(CPUModel.clean)
        return DeviceType(
            name: name, vendor: vendor,
            description:
                "Proposed from discovered hardware (serial \(inventory.system.serial ?? "unknown")); review before use",
            boards: board.map { [$0] } ?? [], origin: .catalog,
            hardware: HardwareSpec(
                cpu: CPUSpec(
                    model: model, sockets: inventory.cpu.sockets ?? 1, cores: inventory.cpu.physicalCores,
                    frequencyGHz: nil),
                memoryGiB: memory, storage: storage, network: network))
    }

    /// Installed size from a DIMM total, or the next standard size above a usable total.
    static func roundedMemory(_ gib: Double, usable: Bool) -> Int {
        // A total no whole number can hold (an inventory read from a broken tool) proposes 0, never traps.
        guard usable else { return ParsedNumber.whole(gib.rounded()) ?? 0 }
        let sizes = [8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096]
        return sizes.first { Double($0) >= gib } ?? ParsedNumber.whole(gib.rounded(.up)) ?? 0
    }

    /// Drive sizes as vendors sell them: 480, 960, 1000 ... rounded to 2 significant digits past 1 TB.
    static func marketingSize(_ gb: Double) -> Double {
        gb >= 1000 ? (gb / 10).rounded() * 10 : gb.rounded()
    }
}

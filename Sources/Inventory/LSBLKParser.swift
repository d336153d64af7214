import Foundation
import Redfish

/// Reads `lsblk -J -b -d -o NAME,SIZE,MODEL,ROTA,TRAN,SERIAL,TYPE`: whole disks (no zram, loop or rom).
public enum LSBLKParser {
    /// Parses `text` into `inventory`.
    public static func parse(_ text: String, into inventory: inout Inventory, source: String = "lsblk.json") {
        guard let document = inventory.json(text, source: source) else { return }
        guard case .array(let devices) = document["blockdevices"] else {
            inventory.problem(source, "no `blockdevices` array")
            return
        }
        var disks: [StorageDevice] = []
        for device in devices {
            guard let name = device["name"].string else { continue }
            let type = device["type"].string ?? "disk"
            guard type == "disk", !name.hasPrefix("zram"), !name.hasPrefix("loop"), !name.hasPrefix("ram") else {
                continue
            }
            guard let size = ParsedNumber.bytes(device["size"].double) else { continue }
            disks.append(
                StorageDevice(
                    name: name, model: device["model"].string?.trimmingCharacters(in: .whitespaces),
                    sizeBytes: size,
                    kind: kind(name: name, transport: device["tran"].string, rotational: device["rota"].bool),
                    serial: device["serial"].string))
        }
        inventory.storage = disks
        inventory.note("storage", from: source)
    }

    static func kind(name: String, transport: String?, rotational: Bool?) -> StorageDevice.Kind {
        if name.hasPrefix("pmem") { return .pmem }
        if transport?.lowercased() == "nvme" || name.hasPrefix("nvme") { return .nvme }
        switch rotational {
        case true?: return .hdd
        case false?: return .ssd
        case nil: return .unknown
        }
    }
}

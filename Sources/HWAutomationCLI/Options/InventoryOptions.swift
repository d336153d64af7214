import ArgumentParser
import Foundation
import Inventory

/// Where `classify` and `recommend` read an inventory from.
struct InventoryInput: ParsableArguments {
    @Option(
        name: .customLong("from-bundle"),
        help: ArgumentHelp("A discovery bundle folder (discover --save-bundle).", valueName: "dir"))
    var bundle: String?

    @Option(
        name: .customLong("inventory"),
        help: ArgumentHelp("An inventory JSON file (discover --json).", valueName: "file"))
    var inventoryFile: String?

    func validate() throws {
        guard (bundle == nil) != (inventoryFile == nil) else {
            throw ValidationError("give exactly one of --from-bundle DIR or --inventory FILE.json")
        }
    }

    func load() async throws -> Inventory {
        if let bundle {
            do {
                return try await DiscoveryBundle.read(from: URL(fileURLWithPath: bundle)).inventory()
            } catch {
                throw CommandFailure("\(error)")
            }
        }
        let path = inventoryFile!
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("\(path): cannot read the inventory file")
        }
        do {
            return try JSONDecoder().decode(Inventory.self, from: data)
        } catch {
            throw CommandFailure("\(path): not an inventory (from `hwautomation discover --json`): \(error)")
        }
    }
}

/// Prints inventories for people.
enum InventoryText {
    static func render(_ inventory: Inventory) -> String {
        var lines: [String] = []
        func field(_ name: String, _ value: String?) {
            lines.append(name.padding(toLength: 12, withPad: " ", startingAt: 0) + (value ?? "unknown"))
        }
        let system = inventory.system
        field("system", [system.manufacturer, system.product].compactMap { $0 }.joined(separator: " "))
        field("serial", system.serial)
        field("uuid", system.uuid)
        field("board", inventory.baseboard.product)
        field("bios", inventory.bios.version)
        let cpu = inventory.cpu
        field(
            "cpu",
            cpu.model.map { model in
                "\(cpu.sockets ?? 1) × \(model), \(cpu.physicalCores.map(String.init) ?? "?") cores, \(cpu.threads.map(String.init) ?? "?") threads"
            })
        field(
            "memory",
            inventory.memory.totalGiB.map { total in
                String(format: "%.1f GiB", total)
                    + (inventory.memory.totalIsUsable ? " usable" : " in \(inventory.memory.dimms.count) DIMMs")
            })
        field(
            "storage",
            inventory.storage.isEmpty
                ? nil
                : inventory.storage.map {
                    "\($0.name) \(String(format: "%.0f GB", Double($0.sizeBytes) / 1e9)) \($0.kind.rawValue)"
                }
                .joined(separator: ", "))
        field(
            "nics",
            inventory.nics.isEmpty
                ? nil
                : inventory.nics.map { nic in
                    "\(nic.name)" + (nic.speedMbps.map { " " + speed($0) } ?? "") + (nic.mac.map { " \($0)" } ?? "")
                        + (nic.isDataPort ? "" : " (\(nic.role?.rawValue ?? "other"))")
                }.joined(separator: ", "))
        if let bmc = inventory.bmc {
            field("bmc", [bmc.ip, bmc.mac, bmc.ipSource].compactMap { $0 }.joined(separator: " "))
        }
        if !inventory.problems.isEmpty {
            lines.append("not read:")
            for problem in inventory.problems { lines.append("  \(problem)") }
        }
        return lines.joined(separator: "\n")
    }

    /// A link speed for people: `100M` (a host-interface link), `25G`, `2.5G`.
    static func speed(_ mbps: Int) -> String {
        if mbps < 1000 { return "\(mbps)M" }
        if mbps % 1000 == 0 { return "\(mbps / 1000)G" }
        return String(format: "%gG", Double(mbps) / 1000)
    }
}

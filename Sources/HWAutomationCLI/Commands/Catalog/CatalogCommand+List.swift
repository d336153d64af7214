import ArgumentParser
import Catalog

/// `hwautomation catalog list`.
struct CatalogListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List device types with their vendor, board and hardware.")

    @OptionGroup var options: CatalogOptions

    @Option(help: ArgumentHelp("Only this vendor's types (supermicro, hpe, dell).", valueName: "vendor"))
    var vendor: String?

    @Flag(help: "Print JSON: an array of device types.")
    var json = false

    func run() async throws {
        let loaded = try options.load()
        if let vendor, loaded.catalog.vendors[vendor.lowercased()] == nil {
            throw CommandFailure(
                "unknown vendor `\(vendor)`; the catalog has: \(loaded.catalog.vendors.keys.sorted().joined(separator: ", "))."
            )
        }
        let types = loaded.catalog.sortedDeviceTypes(vendor: vendor)
        if json {
            print(try Terminal.json(types))
            return
        }
        var table = TextTable(["TYPE", "VENDOR", "BOARD", "CPU", "CORES", "RAM", "STORAGE", "NETWORK", "ORIGIN"])
        for type in types {
            let hardware = type.hardware
            table.add([
                type.name, type.vendor,
                type.boards.first.map { type.boards.count > 1 ? "\($0) +\(type.boards.count - 1)" : $0 } ?? "-",
                hardware.cpu.legacyName ?? "-", hardware.cpu.cores.map(String.init) ?? "-",
                hardware.memoryGiB.map { "\($0) GB" } ?? "-",
                hardware.storage?.map(\.description).joined(separator: " + ") ?? "-",
                hardware.network?.map(\.description).joined(separator: " + ") ?? "-", type.origin.rawValue,
            ])
        }
        print(table.render())
        print("\n\(types.count) device types from \(loaded.directory)")
    }
}

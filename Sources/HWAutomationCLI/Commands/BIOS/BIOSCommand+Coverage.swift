import ArgumentParser
import BIOS
import Catalog

/// `bios coverage`.
struct BIOSCoverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "For each device type and vendor dialect: how many desired BIOS settings resolve over Redfish, go to "
            + "the vendor tool, or stay unresolved, with their names.",
        discussion:
            "Worked out from the catalog alone (bios-attributes.yaml's dialect maps): a real BMC's registry can resolve "
            + "more (by display name) or fewer (a board without the setting).")

    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: ArgumentHelp("Only this vendor's device types (hpe, supermicro, dell).", valueName: "vendor"))
    var vendor: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        if let vendor, catalog.vendors[vendor.lowercased()] == nil {
            throw CommandFailure(
                "no vendor `\(vendor)` in the catalog; known: \(catalog.vendors.keys.sorted().joined(separator: ", "))"
            )
        }
        let vendor = self.vendor
        let report = try await exitingOnError { try BIOSCoverage.report(catalog: catalog, vendor: vendor) }
        if json {
            print(try Terminal.json(report))
            return
        }
        var table = TextTable(["TYPE", "DIALECT", "REDFISH", "VENDOR TOOL", "UNRESOLVED", "UNRESOLVED SETTINGS"])
        for row in report {
            table.add([
                row.deviceType, row.dialect, "\(row.redfish.count)", "\(row.vendorTool.count)",
                "\(row.unresolved.count)", row.unresolved.joined(separator: ", "),
            ])
        }
        var totals: [String: (redfish: Int, tool: Int, unresolved: Int)] = [:]
        for row in report {
            let sum = totals[row.dialect] ?? (0, 0, 0)
            totals[row.dialect] = (
                sum.redfish + row.redfish.count, sum.tool + row.vendorTool.count, sum.unresolved + row.unresolved.count
            )
        }
        var summary = TextTable(["DIALECT", "REDFISH", "VENDOR TOOL", "UNRESOLVED"])
        for (dialect, sum) in totals.sorted(by: { $0.key < $1.key }) {
            summary.add([dialect, "\(sum.redfish)", "\(sum.tool)", "\(sum.unresolved)"])
        }
        print(table.render() + "\n\nTotals by dialect:\n" + summary.render())
    }
}

import ArgumentParser
import Catalog
import Foundation

/// `hwautomation catalog status`.
struct CatalogStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Summarise the catalog: its source, counts of types, vendors, boards and templates, and warnings.")

    @OptionGroup var options: CatalogOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let status = CatalogStatus(try options.load())
        if json {
            print(try Terminal.json(status))
        } else {
            print(Self.text(status))
        }
        if !status.errors.isEmpty { throw ExitCode(1) }
    }

    static func text(_ status: CatalogStatus) -> String {
        var lines: [String] = []
        func field(_ name: String, _ value: String) {
            lines.append(name.padding(toLength: 20, withPad: " ", startingAt: 0) + value)
        }
        field("source", "\(status.source.rawValue) (\(status.directory))")
        let origins = status.deviceTypesByOrigin.keys.sorted().map { "\($0) \(status.deviceTypesByOrigin[$0]!)" }
        field("device types", "\(status.deviceTypes) (" + origins.joined(separator: ", ") + ")")
        if let files = status.legacyFiles {
            field("  unified file", "\(files.unifiedTypes) types")
            field("  legacy mappings", "\(files.legacyTypes) types (\(files.inBoth) also in the unified file)")
        }
        let vendors = status.vendors.map { "\($0) \(status.deviceTypesByVendor[$0] ?? 0)" }
        field("vendors", "\(status.vendors.count): " + vendors.joined(separator: ", "))
        field("motherboards", "\(status.motherboards)")
        let templates = status.templates
        field(
            "bios templates",
            "\(templates.indexed) for \(templates.deviceTypes) types (SUM BiosCfg \(templates.sumBiosCfg), BiosConfig \(templates.biosConfig), unparseable \(templates.unparseable))"
        )
        field(
            "template rules",
            status.templateRules.isEmpty
                ? "none" : "\(status.templateRules.count): " + status.templateRules.joined(separator: ", "))
        field("preserve list", "\(status.preservePatterns) patterns")
        field("firmware vendors", status.firmwareVendors.joined(separator: ", "))
        field("update policies", status.updatePolicies.joined(separator: ", "))
        if !status.legacyOnlyTypes.isEmpty {
            field("legacy-only types", "\(status.legacyOnlyTypes.count) (defined only in bios/device_mappings.yaml)")
        }
        field("warnings", "\(status.warnings.count) (run `hwautomation catalog validate` to see them)")
        field("errors", "\(status.errors.count)")
        for error in status.errors { lines.append("  " + error.description) }
        return lines.joined(separator: "\n")
    }
}

import ArgumentParser
import Catalog
import Foundation

/// `hwautomation catalog import`.
struct CatalogImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a legacy hwautomation config directory into our catalog schema.",
        discussion: """
            Reads DIR as it is (devices/, bios/, firmware/), merges it (the unified file wins; legacy-only \
            types are kept and marked), parses every BIOS template, and writes our schema to the target. \
            Nothing is written when the source has errors; an existing catalog at the target is replaced whole.
            """)

    @Option(help: ArgumentHelp("The legacy config directory to read.", valueName: "dir"))
    var from: String

    @Option(help: ArgumentHelp("Where to write our catalog (created or replaced).", valueName: "dir"))
    var to: String

    func run() async throws {
        let loaded = CatalogLoader.inspect(directory: from)
        let diagnostics = CatalogValidation.diagnostics(of: loaded)
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else {
            Terminal.printDiagnostics(errors)
            throw CommandFailure("\(from) has \(errors.count) error(s); nothing was written.")
        }
        // A legacy set has none of our own device types (the Dell PowerEdge types): they are carried over from the
        // shipped catalog, like its attribute map.
        var catalog = loaded.catalog
        if loaded.kind == .legacy, let own = try? CatalogLoader.load(directory: nil).catalog {
            catalog = catalog.carryingOwnTypes(from: own)
        }
        do {
            try CatalogWriter.write(catalog, to: URL(fileURLWithPath: to), importedFrom: Self.sourceName(from))
        } catch {
            throw CommandFailure("\(error)")
        }
        let warnings = diagnostics.count
        print(
            "Imported \(catalog.deviceTypes.count) device types, \(catalog.vendors.count) vendors and \(catalog.templates.count) templates from \(from) into \(to) (\(warnings) warning(s); see `catalog validate --config-dir \(from)`)."
        )
    }

    /// The last path components of the source, so the manifest records provenance without local paths.
    static func sourceName(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.pathComponents.suffix(2).joined(separator: "/")
    }
}

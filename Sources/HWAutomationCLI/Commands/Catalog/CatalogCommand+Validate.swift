import ArgumentParser
import Catalog

/// `hwautomation catalog validate`.
struct CatalogValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the catalog and every BIOS template; print each problem with file:line:column.",
        discussion: "Exits 1 when there is an error, 0 when there are only warnings (or nothing).")

    @OptionGroup var options: CatalogOptions

    @Flag(help: "Print the problems as a JSON array of objects (severity, code, file, line, column, message).")
    var json = false

    func run() async throws {
        let loaded = CatalogLoader.inspect(directory: options.resolvedDirectory)
        let diagnostics = CatalogValidation.diagnostics(of: loaded)
        let errors = diagnostics.filter { $0.severity == .error }.count
        if json {
            print(try Terminal.json(diagnostics))
        } else {
            for diagnostic in diagnostics { print(diagnostic.description) }
            let types = loaded.catalog.deviceTypes.count
            print(
                "\(loaded.directory): \(errors) error(s), \(diagnostics.count - errors) warning(s); \(types) device types, \(loaded.catalog.templates.count) templates checked."
            )
        }
        if errors > 0 { throw ExitCode(1) }
    }
}

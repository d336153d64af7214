import ArgumentParser
import Catalog
import Foundation

/// Options shared by the catalog commands.
struct CatalogOptions: ParsableArguments {
    @Option(
        name: .customLong("config-dir"),
        help: ArgumentHelp(
            "Catalog directory: ours (catalog.yaml) or a legacy hwautomation config dir. Default: $HWA_CONFIG_DIR, else the built-in catalog.",
            valueName: "dir"))
    var configDirectory: String?

    /// The directory to read, after the environment is consulted.
    var resolvedDirectory: String? {
        CatalogLoader.resolveDirectory(option: configDirectory, environment: ProcessInfo.processInfo.environment)
    }

    /// Loads the catalog or prints its errors to stderr and exits 1.
    func load() throws -> LoadedCatalog {
        do {
            return try CatalogLoader.load(directory: resolvedDirectory)
        } catch {
            Terminal.printDiagnostics(error.diagnostics.filter { $0.severity == .error })
            throw ExitCode(1)
        }
    }
}

/// Standard output and error.
enum Terminal {
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func printDiagnostics(_ diagnostics: [CatalogDiagnostic]) {
        for diagnostic in diagnostics { printError(diagnostic.description) }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

import Foundation

/// Finds and loads a catalog: a directory in our schema, a legacy hwautomation config directory, or, with no
/// directory, the catalog built into HWAutomation.
public enum CatalogLoader {
    /// The environment variable that names the config directory when `--config-dir` is not given.
    public static let environmentVariable = "HWA_CONFIG_DIR"

    /// The directory of the catalog built into HWAutomation.
    public static var shippedDirectory: URL? {
        Bundle.module.url(forResource: "configs", withExtension: nil)
    }

    /// Reads a catalog with every diagnostic, errors included; nothing is thrown for content problems.
    ///
    /// - Parameter directory: the config directory as the operator wrote it; `nil` for the shipped catalog.
    public static func inspect(directory: String?) -> LoadedCatalog {
        guard let directory else {
            guard let shipped = shippedDirectory else {
                var diagnostics = CatalogDiagnostics()
                diagnostics.error(
                    "missing-directory", at: SourceLocation(file: "<shipped catalog>"),
                    "the built-in catalog is missing from this installation; pass --config-dir or set \(environmentVariable)."
                )
                return LoadedCatalog(
                    catalog: Catalog(), kind: .shipped, directory: "<shipped>", diagnostics: diagnostics.all,
                    legacyCounts: nil, typeLocations: [:])
            }
            var reader = CatalogSchemaReader(directory: shipped, displayRoot: "<shipped>/configs")
            return finish(reader.read(kind: .shipped))
        }
        let url = URL(fileURLWithPath: directory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            var diagnostics = CatalogDiagnostics()
            diagnostics.error(
                "missing-directory", at: SourceLocation(file: directory),
                "the config directory does not exist or is not a directory.")
            return LoadedCatalog(
                catalog: Catalog(), kind: .catalog, directory: directory, diagnostics: diagnostics.all,
                legacyCounts: nil, typeLocations: [:])
        }
        if CatalogSchemaReader.recognises(url) {
            var reader = CatalogSchemaReader(directory: url, displayRoot: directory)
            return finish(reader.read(kind: .catalog))
        }
        if LegacyCatalogReader.recognises(url) {
            var reader = LegacyCatalogReader(directory: url, displayRoot: directory)
            var loaded = reader.read()
            // The legacy files have no attribute map; the built-in one applies.
            loaded.catalog.biosAttributes = shippedAttributeMap()
            return finish(loaded)
        }
        var diagnostics = CatalogDiagnostics()
        diagnostics.error(
            "unrecognised-directory", at: SourceLocation(file: directory),
            "neither \(CatalogSchema.manifestFile) (our catalog) nor \(LegacyCatalogReader.unifiedPath) or \(LegacyCatalogReader.mappingsPath) (a legacy hwautomation config directory) is here."
        )
        return LoadedCatalog(
            catalog: Catalog(), kind: .catalog, directory: directory, diagnostics: diagnostics.all, legacyCounts: nil,
            typeLocations: [:])
    }

    /// Loads a catalog for use: throws when it has errors; warnings stay in `diagnostics`.
    public static func load(directory: String?) throws(CatalogLoadError) -> LoadedCatalog {
        let loaded = inspect(directory: directory)
        guard !loaded.diagnostics.contains(where: { $0.severity == .error }) else {
            throw CatalogLoadError(diagnostics: loaded.diagnostics)
        }
        return loaded
    }

    /// The directory to use: the explicit option, else `HWA_CONFIG_DIR`, else none (the shipped catalog).
    public static func resolveDirectory(option: String?, environment: [String: String]) -> String? {
        if let option, !option.isEmpty { return option }
        if let value = environment[environmentVariable], !value.isEmpty { return value }
        return nil
    }

    /// The attribute map of the built-in catalog (empty if the installation lacks it).
    static func shippedAttributeMap() -> BIOSAttributeMap {
        guard let shipped = shippedDirectory else { return BIOSAttributeMap() }
        let url = shipped.appendingPathComponent(BIOSAttributeMap.fileName)
        guard case .success(let document) = YAMLDocument.load(url, displayPath: url.path),
            case .success(let map) = document.decode(BIOSAttributeMap.self)
        else { return BIOSAttributeMap() }
        return map
    }

    private static func finish(_ loaded: LoadedCatalog) -> LoadedCatalog {
        var result = loaded
        // Semantic checks only make sense once the files themselves were read without errors.
        if !result.diagnostics.contains(where: { $0.severity == .error && $0.code != "rule-for-unknown-type" }) {
            CatalogValidator.check(&result)
        }
        return result
    }
}

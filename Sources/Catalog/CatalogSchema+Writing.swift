import Foundation
import Yams

/// Writes a catalog in our schema.
public enum CatalogWriter {
    /// Why a catalog could not be written.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// A sentence naming the path and what went wrong.
        public var description: String
    }

    /// The files of `catalog` in our schema: relative path → YAML text. Templates are parsed (and must parse).
    public static func render(_ catalog: Catalog, importedFrom: String? = nil) throws -> [String: String] {
        let resolved = try catalog.resolvingTemplates()
        let encoder = YAMLEncoder()
        encoder.options.sortKeys = true
        encoder.options.width = -1
        encoder.options.allowUnicode = true
        let nested: [CodingUserInfoKey: Any] = [CatalogSchema.nestedKey: true]
        var files: [String: String] = [:]
        let manifest = CatalogSchema.Manifest(
            schemaVersion: CatalogSchema.version, importedFrom: importedFrom, settings: resolved.settings,
            preserveSettings: resolved.preserve.patterns)
        files[CatalogSchema.manifestFile] = header("the catalog manifest") + (try encoder.encode(manifest))
        for vendor in resolved.vendors.values.sorted(by: { $0.id < $1.id }) {
            let types = resolved.deviceTypes.values.filter { $0.vendor == vendor.id }
            let file = CatalogSchema.VendorFile(
                vendor: vendor, deviceTypes: Dictionary(uniqueKeysWithValues: types.map { ($0.name, $0) }))
            files["\(CatalogSchema.vendorsFolder)/\(vendor.id).yaml"] =
                header("vendor \(vendor.id) and its device types") + (try encoder.encode(file, userInfo: nested))
        }
        files[CatalogSchema.firmwareFile] = header("firmware policy") + (try encoder.encode(resolved.firmware))
        if !resolved.biosAttributes.attributes.isEmpty {
            files[BIOSAttributeMap.fileName] =
                header("BIOS attribute names across interfaces") + (try encoder.encode(resolved.biosAttributes))
        }
        let byType = Dictionary(grouping: resolved.templates, by: \.deviceType)
        for (type, entries) in byType {
            let templates = entries.sorted { $0.name < $1.name }.compactMap { entry -> BIOSTemplate? in
                if case .embedded(let template) = entry.content { return template }
                return nil
            }
            let file = CatalogSchema.TemplateFile(deviceType: type, templates: templates)
            files["\(CatalogSchema.templatesFolder)/\(type).yaml"] =
                header("BIOS templates of \(type)") + (try encoder.encode(file))
        }
        return files.mapValues(plainNumbers)
    }

    /// Yams writes doubles in exponent form (`2.5e+1`); people read `25.0`. Only unquoted scalars that follow
    /// `key: ` or `- ` are rewritten, so strings (which Yams quotes when they look like numbers) are untouched.
    static func plainNumbers(_ yaml: String) -> String {
        yaml.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard let range = line.range(of: #"(?<=: |- )-?[0-9.]+e[+-][0-9]+$"#, options: .regularExpression),
                let value = Double(line[range])
            else { return String(line) }
            return line.replacingCharacters(in: range, with: String(value))
        }.joined(separator: "\n")
    }

    /// Device types as they would stand in a vendor file of our schema (`device_types:` keyed by name; the vendor
    /// is the file's).
    public static func renderDeviceTypes(_ types: [DeviceType]) throws -> String {
        let encoder = YAMLEncoder()
        encoder.options.sortKeys = true
        encoder.options.width = -1
        let file = ["device_types": Dictionary(uniqueKeysWithValues: types.map { ($0.name, $0) })]
        let nested: [CodingUserInfoKey: Any] = [CatalogSchema.nestedKey: true]
        return plainNumbers(try encoder.encode(file, userInfo: nested))
    }

    /// Writes `catalog` to `directory`, replacing a catalog already there. Everything is written to a staging
    /// directory first and swapped in at the end, so a failure leaves the old directory as it was.
    public static func write(_ catalog: Catalog, to directory: URL, importedFrom: String? = nil) throws {
        let files = try render(catalog, importedFrom: importedFrom)
        let fileManager = FileManager.default
        let target = directory.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw Failure(description: "\(directory.path) exists and is not a directory.")
            }
            let contents = try fileManager.contentsOfDirectory(atPath: target.path)
            guard contents.isEmpty || CatalogSchemaReader.recognises(target) else {
                throw Failure(
                    description:
                        "\(directory.path) is not empty and holds no \(CatalogSchema.manifestFile); refusing to overwrite it."
                )
            }
        }
        let staging = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).staging-\(ProcessInfo.processInfo.processIdentifier)")
        try? fileManager.removeItem(at: staging)
        do {
            for (relative, text) in files {
                let url = staging.appendingPathComponent(relative)
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            if fileManager.fileExists(atPath: target.path) {
                // Swap by two renames in the same parent directory; on failure the old catalog is put back.
                let previous = staging.appendingPathExtension("previous")
                try? fileManager.removeItem(at: previous)
                try fileManager.moveItem(at: target, to: previous)
                do {
                    try fileManager.moveItem(at: staging, to: target)
                } catch {
                    try? fileManager.moveItem(at: previous, to: target)
                    throw error
                }
                try? fileManager.removeItem(at: previous)
            } else {
                try fileManager.moveItem(at: staging, to: target)
            }
        } catch {
            try? fileManager.removeItem(at: staging)
            throw Failure(description: "cannot write \(directory.path): \((error as NSError).localizedDescription)")
        }
    }

    private static func header(_ what: String) -> String {
        "# HWAutomation catalog (schema \(CatalogSchema.version)): \(what).\n"
            + "# Written by `hwautomation catalog import`; edit freely, then run `hwautomation catalog validate`.\n"
    }
}

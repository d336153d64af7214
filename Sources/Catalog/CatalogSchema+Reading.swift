import Foundation

/// Reads a directory in our catalog schema.
struct CatalogSchemaReader {
    let directory: URL
    let displayRoot: String
    var diagnostics = CatalogDiagnostics()
    var catalog = Catalog()
    var locations: [String: SourceLocation] = [:]

    init(directory: URL, displayRoot: String) {
        self.directory = directory
        self.displayRoot = displayRoot
    }

    /// True when `directory` holds our manifest.
    static func recognises(_ directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(CatalogSchema.manifestFile).path)
    }

    mutating func read(kind: LoadedCatalog.SourceKind) -> LoadedCatalog {
        readManifest()
        readVendors()
        readFirmware()
        readTemplates()
        readAttributeMap()
        return LoadedCatalog(
            catalog: catalog, kind: kind, directory: displayRoot, diagnostics: diagnostics.all, legacyCounts: nil,
            typeLocations: locations)
    }

    private func display(_ relative: String) -> String {
        displayRoot.hasSuffix("/") ? displayRoot + relative : displayRoot + "/" + relative
    }

    private mutating func load<T: Decodable>(_ type: T.Type, _ relative: String) -> (T, YAMLDocument)? {
        let result = YAMLDocument.load(directory.appendingPathComponent(relative), displayPath: display(relative))
        switch result {
        case .failure(let diagnostic):
            diagnostics.append(contentsOf: [diagnostic])
            return nil
        case .success(let document):
            switch document.decode(type) {
            case .success(let value): return (value, document)
            case .failure(let diagnostic):
                diagnostics.append(contentsOf: [diagnostic])
                return nil
            }
        }
    }

    private func yamlFiles(in folder: String) -> [String] {
        let url = directory.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    }

    private mutating func readManifest() {
        guard let (manifest, document) = load(CatalogSchema.Manifest.self, CatalogSchema.manifestFile) else { return }
        guard manifest.schemaVersion <= CatalogSchema.version else {
            diagnostics.error(
                "schema-version", at: document.location(of: document.node(at: ["schema_version"])),
                "schema_version \(manifest.schemaVersion) is newer than this HWAutomation reads (\(CatalogSchema.version)); upgrade HWAutomation."
            )
            return
        }
        catalog.settings = manifest.settings
        catalog.preserve = PreserveList(patterns: manifest.preserveSettings)
    }

    private mutating func readVendors() {
        let files = yamlFiles(in: CatalogSchema.vendorsFolder)
        if files.isEmpty {
            diagnostics.error(
                "missing-file", at: SourceLocation(file: display(CatalogSchema.vendorsFolder)),
                "no vendor files (vendors/<vendor>.yaml); the catalog has no device types.")
        }
        for file in files {
            let relative = CatalogSchema.vendorsFolder + "/" + file
            guard let (vendorFile, document) = load(CatalogSchema.VendorFile.self, relative) else { continue }
            let vendor = vendorFile.vendor
            if catalog.vendors[vendor.id] != nil {
                diagnostics.error(
                    "duplicate-vendor", at: document.location(of: document.node(at: ["vendor", "id"])),
                    "vendor `\(vendor.id)` is defined in more than one file; keep one.")
                continue
            }
            catalog.vendors[vendor.id] = vendor
            for (rawName, type) in vendorFile.deviceTypes.sorted(by: { $0.key < $1.key }) {
                let location = document.locationOfKey(rawName, in: ["device_types"])
                let name = DeviceTypeName.canonical(rawName)
                if name != rawName {
                    diagnostics.warning(
                        "key-whitespace", at: location, "the type key '\(rawName)' is read as `\(name)`; write it so.")
                }
                if let first = locations[name] {
                    diagnostics.error(
                        "duplicate-type", at: location, "`\(name)` is already defined at \(first); keep one.")
                    continue
                }
                var named = type
                named.name = name
                if named.vendor.isEmpty {
                    named.vendor = vendor.id
                } else if named.vendor != vendor.id {
                    diagnostics.error(
                        "vendor-mismatch", at: location,
                        "`\(name)` says vendor `\(named.vendor)` but is in the file of vendor `\(vendor.id)`; move it.")
                }
                catalog.deviceTypes[name] = named
                locations[name] = location
            }
        }
    }

    private mutating func readFirmware() {
        let path = directory.appendingPathComponent(CatalogSchema.firmwareFile).path
        guard FileManager.default.fileExists(atPath: path) else { return }
        if let (firmware, _) = load(FirmwareRepository.self, CatalogSchema.firmwareFile) {
            catalog.firmware = firmware
        }
    }

    private mutating func readAttributeMap() {
        let path = directory.appendingPathComponent(BIOSAttributeMap.fileName).path
        guard FileManager.default.fileExists(atPath: path) else { return }
        if let (map, _) = load(BIOSAttributeMap.self, BIOSAttributeMap.fileName) {
            catalog.biosAttributes = map
        }
    }

    private mutating func readTemplates() {
        for file in yamlFiles(in: CatalogSchema.templatesFolder) {
            let relative = CatalogSchema.templatesFolder + "/" + file
            guard let (templateFile, document) = load(CatalogSchema.TemplateFile.self, relative) else { continue }
            let type = DeviceTypeName.canonical(templateFile.deviceType)
            if catalog.deviceTypes[type] == nil {
                diagnostics.warning(
                    "template-for-unknown-type", at: document.location(of: document.node(at: ["device_type"])),
                    "these templates are for `\(type)`, which no vendor file defines; they will not be used.")
            }
            for template in templateFile.templates {
                catalog.templates.append(
                    BIOSTemplateEntry(deviceType: type, name: template.source, content: .embedded(template)))
            }
        }
        catalog.templates.sort { ($0.deviceType, $0.name) < ($1.deviceType, $1.name) }
    }
}

import Foundation

/// Reads a legacy hwautomation config directory as it is and merges it into one `Catalog`.
///
/// Merge rule: a type in `devices/unified_device_config.yaml` wins field by field over the same type in
/// `bios/device_mappings.yaml` (the legacy file only fills what the unified one leaves out); types only in the
/// legacy file are kept with origin `legacy`. Keys with stray white space and `s2_c2_large`-style names are
/// normalised (with a warning for the white space).
struct LegacyCatalogReader {
    static let unifiedPath = "devices/unified_device_config.yaml"
    static let mappingsPath = "bios/device_mappings.yaml"
    static let rulesPath = "bios/template_rules.yaml"
    static let preservePath = "bios/preserve_settings.yaml"
    static let firmwarePath = "firmware/firmware_repository.yaml"
    static let templatesPath = "bios/xml_templates"

    let directory: URL
    let displayRoot: String
    var diagnostics = CatalogDiagnostics()
    var catalog = Catalog()
    var locations: [String: SourceLocation] = [:]
    /// Which legacy types came from which file, for the merge and the counts.
    private var unifiedNames: Set<String> = []
    private var legacyNames: Set<String> = []
    private var ruleSets = 0

    init(directory: URL, displayRoot: String) {
        self.directory = directory
        self.displayRoot = displayRoot
    }

    /// True when `directory` looks like a legacy config directory.
    static func recognises(_ directory: URL) -> Bool {
        [unifiedPath, mappingsPath].contains {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
    }

    /// Reads every legacy file present; returns the catalog and everything found on the way.
    mutating func read() -> LoadedCatalog {
        readUnified()
        readMappings()
        readTemplateRules()
        readPreserve()
        readFirmware()
        indexTemplates()
        for (id, vendor) in catalog.vendors {
            catalog.vendors[id]?.motherboards = Array(Set(vendor.motherboards)).sorted()
        }
        let counts = LoadedCatalog.LegacyCounts(
            unifiedTypes: unifiedNames.count, legacyTypes: legacyNames.count,
            inBoth: unifiedNames.intersection(legacyNames).count, templateRuleSets: ruleSets
        )
        return LoadedCatalog(
            catalog: catalog, kind: .legacy, directory: displayRoot, diagnostics: diagnostics.all,
            legacyCounts: counts, typeLocations: locations
        )
    }

    // MARK: Files

    private func display(_ relative: String) -> String {
        displayRoot.hasSuffix("/") ? displayRoot + relative : displayRoot + "/" + relative
    }

    /// Loads an optional file: absent is fine (nil), present but broken is an error diagnostic.
    private mutating func document(_ relative: String, required: Bool = false) -> YAMLDocument? {
        let url = directory.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            if required {
                diagnostics.error("missing-file", at: SourceLocation(file: display(relative)), "the file is missing.")
            }
            return nil
        }
        switch YAMLDocument.load(url, displayPath: display(relative)) {
        case .success(let document): return document
        case .failure(let diagnostic):
            diagnostics.append(contentsOf: [diagnostic])
            return nil
        }
    }

    private mutating func decode<T: Decodable>(_ type: T.Type, from document: YAMLDocument) -> T? {
        switch document.decode(type) {
        case .success(let value): return value
        case .failure(let diagnostic):
            diagnostics.append(contentsOf: [diagnostic])
            return nil
        }
    }

    // MARK: Unified device config

    private mutating func readUnified() {
        guard let document = document(Self.unifiedPath),
            let file = decode(LegacyUnifiedFile.self, from: document)
        else { return }
        let config = file.device_configuration
        if let global = config.global_settings {
            catalog.settings.firmware = global.firmware ?? catalog.settings.firmware
            catalog.settings.autoDetectCapabilities = global.auto_detect_capabilities ?? true
            if let method = bioMethod(
                global.default_bios_method, document: document,
                path: ["device_configuration", "global_settings", "default_bios_method"])
            {
                catalog.settings.defaultBIOSMethod = method
            }
        }
        var seen: [String: SourceLocation] = [:]
        for (vendorID, legacyVendor) in (config.vendors ?? [:]).sorted(by: { $0.key < $1.key }) {
            let vendorPath = ["device_configuration", "vendors", vendorID]
            var vendor = Vendor(
                id: vendorID.lowercased(), displayName: legacyVendor.display_name, supportURL: legacyVendor.support_url,
                firmware: legacyVendor.firmware?.methods ?? [:], tools: legacyVendor.firmware?.tools ?? [:]
            )
            for (boardKey, board) in (legacyVendor.motherboards ?? [:]).sorted(by: { $0.key < $1.key }) {
                let boardName = board.model ?? boardKey
                let knownBoard = !Self.isUnknownBoard(boardName)
                if knownBoard { vendor.motherboards.append(boardName) }
                let typesPath = vendorPath + ["motherboards", boardKey, "device_types"]
                for (rawName, legacyType) in (board.device_types ?? [:]).sorted(by: { $0.key < $1.key }) {
                    let location = document.locationOfKey(rawName, in: typesPath)
                    guard let name = admit(rawName, at: location, seen: &seen) else { continue }
                    unifiedNames.insert(name)
                    var type = makeType(
                        name: name, legacy: legacyType, origin: .unified, vendor: vendor.id,
                        boards: knownBoard ? [boardName] : [], document: document, path: typesPath + [rawName],
                        location: location)
                    if let specVendor = legacyType.hardware_specs?.vendor?.lowercased(), specVendor != vendor.id {
                        diagnostics.warning(
                            "vendor-mismatch", at: location,
                            "`\(name)` sits under vendor `\(vendor.id)` but its hardware_specs say `\(specVendor)`; using `\(vendor.id)`."
                        )
                        type.vendor = vendor.id
                    }
                    catalog.deviceTypes[name] = type
                    locations[name] = location
                }
            }
            catalog.vendors[vendor.id] = vendor
        }
    }

    // MARK: Device mappings

    private mutating func readMappings() {
        guard let document = document(Self.mappingsPath),
            let file = decode(LegacyMappingsFile.self, from: document)
        else { return }
        var seen: [String: SourceLocation] = [:]
        for (rawName, legacyType) in file.device_types.sorted(by: { $0.key < $1.key }) {
            let location = document.locationOfKey(rawName, in: ["device_types"])
            guard let name = admit(rawName, at: location, seen: &seen) else { continue }
            legacyNames.insert(name)
            let specVendor = legacyType.hardware_specs?.vendor?.lowercased()
            let boards = (legacyType.motherboards ?? []).filter { !Self.isUnknownBoard($0) }
            let path = ["device_types", rawName]
            if let existing = catalog.deviceTypes[name], existing.origin == .unified {
                mergeLegacy(
                    legacyType, boards: boards, into: existing, document: document, path: path, location: location)
                continue
            }
            guard let vendorID = specVendor else {
                diagnostics.error(
                    "missing-spec", at: location, "`\(name)` has no hardware_specs.vendor; name the vendor.")
                continue
            }
            let type = makeType(
                name: name, legacy: legacyType, origin: .legacy, vendor: vendorID, boards: boards, document: document,
                path: path, location: location)
            catalog.deviceTypes[name] = type
            locations[name] = location
            var vendor = catalog.vendors[vendorID] ?? Vendor(id: vendorID)
            vendor.motherboards.append(contentsOf: boards)
            catalog.vendors[vendorID] = vendor
        }
    }

    /// Fills what the unified entry leaves out from the legacy one, and reports where the two files disagree.
    private mutating func mergeLegacy(
        _ legacy: LegacyDeviceType, boards: [String], into unified: DeviceType, document: YAMLDocument, path: [String],
        location: SourceLocation
    ) {
        var merged = unified
        let legacyType = makeType(
            name: unified.name, legacy: legacy, origin: .legacy, vendor: unified.vendor, boards: boards,
            document: document, path: path, location: location)
        if !unified.boards.isEmpty, !boards.isEmpty, Set(unified.boards).isDisjoint(with: boards) {
            diagnostics.warning(
                "board-mismatch", at: location,
                "`\(unified.name)` is on board \(unified.boards.joined(separator: ", ")) in \(Self.unifiedPath) but on \(boards.joined(separator: ", ")) here; the unified file wins."
            )
        }
        if unified.boards.isEmpty { merged.boards = boards }
        if legacyType.hardware != unified.hardware {
            diagnostics.warning(
                "spec-mismatch", at: location,
                "`\(unified.name)` has different hardware here (\(Self.summary(legacyType.hardware))) than in \(Self.unifiedPath) (\(Self.summary(unified.hardware))); the unified file wins."
            )
        }
        merged.description = unified.description ?? legacyType.description
        merged.boot = legacyType.boot.merging(unified.boot) { _, unifiedValue in unifiedValue }
        merged.cpu = legacyType.cpu.merging(unified.cpu) { _, unifiedValue in unifiedValue }
        merged.memory = legacyType.memory.merging(unified.memory) { _, unifiedValue in unifiedValue }
        merged.security = legacyType.security.merging(unified.security) { _, unifiedValue in unifiedValue }
        merged.bios.preferredMethod = unified.bios.preferredMethod ?? legacyType.bios.preferredMethod
        merged.bios.fallbackMethod = unified.bios.fallbackMethod ?? legacyType.bios.fallbackMethod
        merged.bios.routing = legacyType.bios.routing.merging(unified.bios.routing) { _, unifiedValue in unifiedValue }
        merged.bios.performance = unified.bios.performance ?? legacyType.bios.performance
        merged.redfish.capable = unified.redfish.capable ?? legacyType.redfish.capable
        merged.redfish.compatibility = unified.redfish.compatibility ?? legacyType.redfish.compatibility
        catalog.deviceTypes[unified.name] = merged
        if var vendor = catalog.vendors[unified.vendor] {
            vendor.motherboards.append(contentsOf: merged.boards)
            catalog.vendors[unified.vendor] = vendor
        }
    }

    // MARK: Device type conversion

    /// Converts one legacy entry, reporting missing or null specs and unknown BIOS methods.
    private mutating func makeType(
        name: String, legacy: LegacyDeviceType, origin: DeviceType.Origin, vendor: String, boards: [String],
        document: YAMLDocument, path: [String], location: SourceLocation
    ) -> DeviceType {
        let specs = legacy.hardware_specs
        let specsPath = path + ["hardware_specs"]
        var storage: [DriveGroup]?
        if let text = specs?.storage {
            switch HardwareSpecParser.storage(text) {
            case .success(let groups): storage = groups
            case .failure(let failure):
                diagnostics.warning(
                    "unreadable-spec", at: document.location(of: document.node(at: specsPath + ["storage"])),
                    "`\(name)`: \(failure.reason); storage treated as unknown.")
            }
        }
        var network: [NICGroup]?
        if let text = specs?.network {
            switch HardwareSpecParser.network(text) {
            case .success(let groups): network = groups
            case .failure(let failure):
                diagnostics.warning(
                    "unreadable-spec", at: document.location(of: document.node(at: specsPath + ["network"])),
                    "`\(name)`: \(failure.reason); network treated as unknown.")
            }
        }
        let hardware = HardwareSpec(
            cpu: CPUSpec(legacyName: specs?.cpu_name, cores: specs?.cpu_cores, frequencyGHz: specs?.cpu_frequency),
            memoryGiB: specs?.ram_gb, storage: storage, network: network)

        var routing = (legacy.bios_setting_methods?.routed ?? [:]).merging(legacy.bios_settings?.routed ?? [:]) {
            _, newer in newer
        }
        for setting in legacy.redfish_settings ?? [] where routing[setting] == nil {
            routing[setting] = RoutedSetting(route: .redfishPreferred)
        }
        for setting in legacy.vendor_only_settings ?? [] where routing[setting] == nil {
            routing[setting] = RoutedSetting(route: .vendorOnly)
        }
        let bios = BIOSProfile(
            preferredMethod: bioMethod(
                legacy.preferred_bios_method, document: document, path: path + ["preferred_bios_method"]),
            fallbackMethod: bioMethod(
                legacy.fallback_bios_method, document: document, path: path + ["fallback_bios_method"]),
            routing: routing, performance: legacy.method_performance)
        return DeviceType(
            name: name, vendor: vendor, description: legacy.description, boards: boards, origin: origin,
            hardware: hardware, boot: legacy.boot_configs ?? [:], cpu: legacy.cpu_configs ?? [:],
            memory: legacy.memory_configs ?? [:], security: legacy.security_configs ?? [:], bios: bios,
            redfish: RedfishSupport(capable: legacy.redfish_capable, compatibility: legacy.redfish_compatibility))
    }

    private mutating func bioMethod(_ raw: String?, document: YAMLDocument, path: [String]) -> BIOSMethod? {
        guard let raw else { return nil }
        guard let method = BIOSMethod(rawValue: raw.trimmingCharacters(in: .whitespaces).lowercased()) else {
            diagnostics.error(
                "unknown-bios-method", at: document.location(of: document.node(at: path)),
                "unknown BIOS method '\(raw)'; use one of \(BIOSMethod.spellings).")
            return nil
        }
        return method
    }

    /// Normalises a type key (warning on stray white space); nil, with an error, when the file defined it already.
    private mutating func admit(
        _ rawName: String, at location: SourceLocation, seen: inout [String: SourceLocation]
    ) -> String? {
        let name = DeviceTypeName.canonical(rawName)
        if DeviceTypeName.hasStrayWhitespace(rawName) {
            diagnostics.warning(
                "key-whitespace", at: location,
                "the type key '\(rawName)' has white space around it; read as `\(name)`. Remove the spaces.")
        }
        if let first = seen[name] {
            diagnostics.error(
                "duplicate-type", at: location, "`\(name)` is defined twice in this file (first at \(first)); keep one."
            )
            return nil
        }
        seen[name] = location
        return name
    }

    static func isUnknownBoard(_ name: String) -> Bool {
        ["unknown", "", "n/a", "none"].contains(name.trimmingCharacters(in: .whitespaces).lowercased())
    }

    static func summary(_ spec: HardwareSpec) -> String {
        var parts: [String] = []
        if let name = spec.cpu.legacyName { parts.append(name) }
        if let cores = spec.cpu.cores { parts.append("\(cores) cores") }
        if let ghz = spec.cpu.frequencyGHz { parts.append("\(DriveGroup.trim(ghz)) GHz") }
        if let memory = spec.memoryGiB { parts.append("\(memory) GB RAM") }
        if let storage = spec.storage { parts.append(storage.map(\.description).joined(separator: " + ")) }
        if let network = spec.network { parts.append(network.map(\.description).joined(separator: " + ")) }
        return parts.joined(separator: ", ")
    }

    // MARK: Template rules, preserve list, firmware, templates

    private mutating func readTemplateRules() {
        guard let document = document(Self.rulesPath),
            let file = decode(LegacyTemplateRulesFile.self, from: document)
        else { return }
        for (rawName, rule) in file.template_rules.sorted(by: { $0.key < $1.key }) {
            let name = DeviceTypeName.canonical(rawName)
            let location = document.locationOfKey(rawName, in: ["template_rules"])
            guard catalog.deviceTypes[name] != nil else {
                diagnostics.error(
                    "rule-for-unknown-type", at: location,
                    "template rules `\(rawName)` are for device type `\(name)`, which no device file defines.")
                continue
            }
            ruleSets += 1
            catalog.deviceTypes[name]?.bios.rules = TemplateRule(
                description: rule.description, modifications: rule.modifications ?? [:])
        }
    }

    private mutating func readPreserve() {
        guard let document = document(Self.preservePath),
            let file = decode(LegacyPreserveFile.self, from: document)
        else { return }
        catalog.preserve = PreserveList(patterns: file.preserve_settings)
    }

    private mutating func readFirmware() {
        guard let document = document(Self.firmwarePath),
            let file = decode(LegacyFirmwareFile.self, from: document)
        else { return }
        let repository = file.firmware_repository
        var examples: [FirmwareFile] = []
        for (vendorID, legacyVendor) in (repository.vendors ?? [:]).sorted(by: { $0.key < $1.key }) {
            let id = vendorID.lowercased()
            var vendor = catalog.vendors[id] ?? Vendor(id: id)
            vendor.displayName = vendor.displayName ?? legacyVendor.display_name
            vendor.supportURL = vendor.supportURL ?? legacyVendor.support_url
            let location = document.locationOfKey(vendorID, in: ["firmware_repository", "vendors"])
            if !vendor.firmware.isEmpty, !legacyVendor.methods.isEmpty, vendor.firmware != legacyVendor.methods {
                diagnostics.warning(
                    "firmware-method-mismatch", at: location,
                    "`\(id)` firmware update methods differ from \(Self.unifiedPath); the unified file wins.")
            }
            vendor.firmware = legacyVendor.methods.merging(vendor.firmware) { _, unified in unified }
            vendor.tools = (legacyVendor.tools ?? [:]).merging(vendor.tools) { _, unified in unified }
            vendor.motherboards.append(
                contentsOf: (legacyVendor.motherboards ?? [:]).map { $0.value.model ?? $0.key }
                    .filter { !Self.isUnknownBoard($0) })
            catalog.vendors[id] = vendor
            for (component, files) in (legacyVendor.example_files ?? [:]).sorted(by: { $0.key < $1.key }) {
                examples += files.map {
                    FirmwareFile(
                        vendor: id, component: component, file: $0.file, version: $0.version, checksum: $0.checksum)
                }
            }
        }
        let versions = (file.mock_vendor_responses?.entries ?? [:]).sorted { $0.key < $1.key }.flatMap { _, response in
            (response.new_firmware ?? []).map {
                VersionExample(
                    vendor: $0.vendor, deviceType: $0.device_type, component: $0.component, current: $0.current_version,
                    latest: $0.latest_version)
            }
        }
        catalog.firmware = FirmwareRepository(
            basePath: repository.base_path, downloadEnabled: repository.download_enabled,
            autoVerify: repository.auto_verify, cacheDurationSeconds: repository.cache_duration,
            maxConcurrentDownloads: repository.max_concurrent_downloads, exampleFiles: examples,
            deviceMapping: file.device_firmware_mapping ?? [:], policies: file.update_policies ?? [:],
            profiles: file.firmware_profiles ?? [:], versionExamples: versions)
        if let safety = repository.global_settings, safety != catalog.settings.firmware {
            diagnostics.warning(
                "firmware-settings-mismatch",
                at: document.location(of: document.node(at: ["firmware_repository", "global_settings"])),
                "firmware global_settings differ from \(Self.unifiedPath); the unified file wins.")
        }
    }

    private mutating func indexTemplates() {
        let folder = directory.appendingPathComponent(Self.templatesPath)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for file in names.sorted() where file.lowercased().hasSuffix(".xml") {
            let type = DeviceTypeName.canonical(String(file.dropLast(4)))
            let path = display(Self.templatesPath + "/" + file)
            catalog.templates.append(BIOSTemplateEntry(deviceType: type, name: file, content: .file(path: path)))
            if catalog.deviceTypes[type] == nil {
                diagnostics.warning(
                    "template-for-unknown-type", at: SourceLocation(file: display(Self.templatesPath + "/" + file)),
                    "this template is for `\(type)`, which no device file defines; it will not be used.")
            }
        }
        catalog.templates.sort { ($0.deviceType, $0.name) < ($1.deviceType, $1.name) }
    }
}

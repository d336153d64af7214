import BIOS
import Catalog
import Foundation
import Inventory
import Lab
import VendorTools

extension FuzzTargets {
    /// Catalog YAML (our schema and the legacy reader), hardware strings, and BIOS template XML.
    static func catalogTargets(_ seeds: FuzzSeeds) throws(FuzzError) -> [FuzzTarget] {
        guard let shipped = CatalogLoader.shippedDirectory else {
            throw FuzzError("the built-in catalog is missing from this build")
        }
        let shippedFiles = [
            "catalog.yaml", "firmware.yaml", "bios-attributes.yaml", "vendors/dell.yaml",
            "bios-templates/s2.c2.small.yaml",
        ]
        var schemaBase: [String: [UInt8]] = [:]
        for relative in shippedFiles {
            guard let data = FileManager.default.contents(atPath: shipped.appendingPathComponent(relative).path) else {
                throw FuzzError("the built-in catalog has no \(relative)")
            }
            schemaBase[relative] = Array(data)
        }
        let legacyFolder = seeds.root.deletingLastPathComponent().appendingPathComponent(
            "shared/reference/hwautomation-configs")
        var legacySeeds: [String: [UInt8]] = ["devices/unified_device_config.yaml": Array(legacyUnifiedSeed.utf8)]
        for relative in [
            "bios/preserve_settings.yaml", "bios/template_rules.yaml", "firmware/firmware_repository.yaml",
            "bios/device_mappings.yaml",
        ] {
            if let data = FileManager.default.contents(atPath: legacyFolder.appendingPathComponent(relative).path) {
                legacySeeds[relative] = Self.head(Array(data))
            }
        }
        // Every seed is one file: `<relative path>\n<content>`, written over the base directory's copy.
        var legacyFileSeeds = legacySeeds.sorted { $0.key < $1.key }.map { Array(($0.key + "\n").utf8) + $0.value }
        if let real = FileManager.default.contents(
            atPath: legacyFolder.appendingPathComponent("devices/unified_device_config.yaml").path)
        {
            legacyFileSeeds.append(Array("devices/unified_device_config.yaml\n".utf8) + Self.head(Array(real)))
        }
        // The folders hold only what the reader needs to recognise them; the other files are present only while an
        // input replaces them (every iteration parses the whole folder, so a small base keeps iterations fast).
        let schema = try CatalogFolder(
            name: "schema", base: ["catalog.yaml", "vendors/dell.yaml"], files: schemaBase)
        let legacy = try CatalogFolder(
            name: "legacy", base: ["devices/unified_device_config.yaml"], files: legacySeeds)
        let xmlSeeds =
            seeds.files(under: "../shared/reference/hwautomation-configs/bios/xml_templates", suffix: ".xml").map(
                \.bytes)
            + [Array(sumSeed.utf8), Array(biosConfigSeed.utf8)]
        let yamlTokens = [
            "schema_version: ", "vendors:", "device_types:", "hardware:", "memory_gib: ", "sockets: ", "cores: ",
            "frequency_ghz: ", "storage: ", "network: ", "count: ", "size_gb: ", "speed_gbps: ", "cpu_cores: ",
            "ram_gb: ", "cpu_frequency: ", "timeout: ", "max_retry_attempts: ", "retry_delay_seconds: ",
        ]
        let catalogForPlans = try shippedCatalog()
        let sumType = catalogForPlans.deviceTypes.values.sorted { $0.name < $1.name }.first
        return [
            FuzzTarget(
                name: "catalog-yaml", summary: "one catalog-schema file replaced → CatalogLoader.inspect, then its use",
                format: .yaml,
                seeds: schemaBase.sorted { $0.key < $1.key }.map { Array(($0.key + "\n").utf8) + $0.value },
                tokens: yamlTokens, cleanup: schema.remove
            ) { bytes in
                schema.with(bytes) { directory in use(CatalogLoader.inspect(directory: directory)) }
            },
            FuzzTarget(
                name: "catalog-legacy", summary: "one legacy config file replaced → LegacyCatalogReader, then its use",
                format: .yaml, seeds: legacyFileSeeds, tokens: yamlTokens, cleanup: legacy.remove
            ) { bytes in
                legacy.with(bytes) { directory in use(CatalogLoader.inspect(directory: directory)) }
            },
            .text(
                "catalog-hardware-spec", "legacy storage / network strings → HardwareSpecParser",
                seeds: [
                    "2x 1TB NVMe", "2x 4TB NVMe + DCPMM 2,048 GB", "6x 15.36TB NVMe + 1x 1TB NVMe Boot Drive",
                    "2x 25Gbps", "4x 10GbE + 2 x 1Gbps",
                ]
            ) { text in
                if case .success(let groups) = HardwareSpecParser.storage(text) { _ = groups.map(\.description) }
                if case .success(let groups) = HardwareSpecParser.network(text) { _ = groups.map(\.description) }
            },
            FuzzTarget(
                name: "bios-xml", summary: "SUM BiosCfg / BiosConfig XML → BIOSTemplateXML, SUMTool, SUMTemplate, plan",
                format: .xml, seeds: xmlSeeds
            ) { bytes in
                guard
                    case .success(let template) = BIOSTemplateXML.parse(
                        Data(bytes), name: "fuzz.xml", displayPath: "fuzz.xml")
                else { return }
                _ = SUMTool.settings(of: template)
                let changes = template.settings.map { (path: $0.path, name: $0.name, value: $0.value) }
                _ = BIOSTemplateXML.parse(Data(SUMTemplate.render(changes: changes).utf8), name: "r", displayPath: "r")
                if let sumType, let desired = try? DesiredBIOSState(type: sumType, catalog: catalogForPlans) {
                    let plan = BIOSPlanner.plan(
                        desired: desired, type: sumType, catalog: catalogForPlans, sumConfiguration: template,
                        source: "fuzz.xml")
                    _ = try? JSONEncoder().encode(plan)
                }
            },
        ]
    }

    /// The first 8 KiB of a big file, cut after a whole line (each iteration parses the folder, so seeds stay small).
    static func head(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count > 8192, let cut = bytes[..<8192].lastIndex(of: 0x0A) else { return bytes }
        return Array(bytes[...cut])
    }

    /// What HWAutomation does with a loaded catalog: validation output, classification of every type's model
    /// inventory, desired BIOS states and lab models.
    static func use(_ loaded: LoadedCatalog) {
        _ = CatalogValidation.diagnostics(of: loaded).map(\.description)
        let catalog = loaded.catalog
        let classifier = Classifier(catalog: catalog)
        for type in catalog.deviceTypes.values.sorted(by: { $0.name < $1.name }).prefix(2) {
            _ = type.hardware.storage?.map(\.description)
            _ = type.hardware.network?.map(\.description)
            _ = try? DesiredBIOSState(type: type, catalog: catalog)
            let model = ServerModel(deviceType: type, index: 0)
            var inventory = Inventory()
            for (file, text) in model.discoveryBundle().outputs { DiscoveryBundle.apply(file, text, into: &inventory) }
            consume(inventory, classifier)
        }
        _ = try? JSONEncoder().encode(Array(catalog.deviceTypes.values))
    }

    static let legacyUnifiedSeed = """
        device_configuration:
          version: '2.0'
          global_settings:
            default_bios_method: hybrid
          vendors:
            supermicro:
              display_name: Super Micro Computer Inc.
              motherboards:
                X12STE-F:
                  model: X12STE-F
                  device_types:
                    s9.c1.small:
                      description: Small test server
                      hardware_specs:
                        cpu_cores: 6
                        cpu_frequency: 3.2
                        cpu_name: Intel Xeon E-2356G
                        network: 2x 10Gbps
                        ram_gb: 64
                        storage: 1x 1TB NVMe
                        vendor: supermicro
                      preferred_bios_method: hybrid

        """

    static let sumSeed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <BiosCfg>
            <Menu name="Advanced">
                <Menu name="CPU Configuration">
                    <Setting name="Hyper-Threading [ALL]" selectedOption="Enable" type="Option">
                        <Information><AvailableOptions><Option value="0">Disable</Option><Option value="1">Enable</Option></AvailableOptions></Information>
                    </Setting>
                    <Setting name="Core Disable Bitmap" numericValue="0" type="Numeric"/>
                </Menu>
            </Menu>
            <Menu name="Boot">
                <Setting name="Boot mode select" selectedOption="UEFI" type="Option"/>
            </Menu>
        </BiosCfg>

        """

    static let biosConfigSeed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <BiosConfig deviceType="s2.c2.small" motherboard="X11SCH-F">
          <boot><Setting name="boot_mode" value="uefi"/></boot>
          <cpu><Setting name="hyperthreading" value="enabled"/><Setting name="turbo" value="disabled"/></cpu>
        </BiosConfig>

        """
}

/// A catalog directory in a temporary folder, one file of which each input replaces (and puts back after).
struct CatalogFolder: Sendable {
    let directory: URL
    /// Every file an input may replace, with its original content.
    let files: [String: [UInt8]]
    /// The files always present.
    let base: Set<String>

    init(name: String, base: Set<String>, files: [String: [UInt8]]) throws(FuzzError) {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "hwa-fuzz-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))-\(name)")
        self.files = files
        self.base = base
        for relative in base.sorted() { try write(relative, files[relative] ?? []) }
    }

    /// Runs `body` on the folder with `<relative>\n<content>` written over its file (a damaged path picks one of
    /// the known files), then restores it.
    func with(_ input: [UInt8], _ body: (String) -> Void) {
        let (relative, content) = RedfishTree.splitHeader(input, among: files.keys.sorted())
        try? write(relative, content)
        body(directory.path)
        if base.contains(relative), let original = files[relative] {
            try? write(relative, original)
        } else {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(relative))
        }
    }

    /// Removes the folder.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ relative: String, _ bytes: [UInt8]) throws(FuzzError) {
        let url = directory.appendingPathComponent(relative)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        } catch {
            throw FuzzError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}

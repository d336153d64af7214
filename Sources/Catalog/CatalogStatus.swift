/// The configuration status an operator asks for first: where the catalog came from and what is in it.
public struct CatalogStatus: Sendable, Hashable, Codable {
    /// Counts of templates by format, and how many do not parse.
    public struct Templates: Sendable, Hashable, Codable {
        /// Templates indexed.
        public var indexed: Int
        /// SUM `BiosCfg` templates.
        public var sumBiosCfg: Int
        /// `BiosConfig` templates.
        public var biosConfig: Int
        /// Templates that do not parse.
        public var unparseable: Int
        /// Device types with at least one template.
        public var deviceTypes: Int

        enum CodingKeys: String, CodingKey {
            case indexed
            case sumBiosCfg = "sum_bioscfg"
            case biosConfig = "bios_config"
            case unparseable
            case deviceTypes = "device_types"
        }
    }

    /// `shipped`, `catalog` or `legacy`.
    public var source: LoadedCatalog.SourceKind
    /// The directory read.
    public var directory: String
    /// Device types in the merged catalog.
    public var deviceTypes: Int
    /// Device types by origin (`unified`, `legacy`, `catalog`).
    public var deviceTypesByOrigin: [String: Int]
    /// Device types by vendor.
    public var deviceTypesByVendor: [String: Int]
    /// Vendor identifiers.
    public var vendors: [String]
    /// Motherboards known.
    public var motherboards: Int
    /// Template information.
    public var templates: Templates
    /// Types with template rules.
    public var templateRules: [String]
    /// Preserve-list patterns.
    public var preservePatterns: Int
    /// Vendors with firmware update methods.
    public var firmwareVendors: [String]
    /// Firmware update policies.
    public var updatePolicies: [String]
    /// Legacy-only types (defined only in `bios/device_mappings.yaml`).
    public var legacyOnlyTypes: [String]
    /// Per-file counts of a legacy directory.
    public var legacyFiles: LoadedCatalog.LegacyCounts?
    /// The warnings.
    public var warnings: [CatalogDiagnostic]
    /// The errors (empty when the catalog loads).
    public var errors: [CatalogDiagnostic]

    enum CodingKeys: String, CodingKey {
        case source, directory
        case deviceTypes = "device_types"
        case deviceTypesByOrigin = "device_types_by_origin"
        case deviceTypesByVendor = "device_types_by_vendor"
        case vendors, motherboards, templates
        case templateRules = "template_rules"
        case preservePatterns = "preserve_patterns"
        case firmwareVendors = "firmware_vendors"
        case updatePolicies = "update_policies"
        case legacyOnlyTypes = "legacy_only_types"
        case legacyFiles = "legacy_files"
        case warnings, errors
    }

    /// Summarises `loaded`; templates are parsed to count formats, and a template that does not parse is an error.
    public init(_ loaded: LoadedCatalog) {
        let catalog = loaded.catalog
        source = loaded.kind
        directory = loaded.directory
        deviceTypes = catalog.deviceTypes.count
        deviceTypesByOrigin = Dictionary(grouping: catalog.deviceTypes.values, by: \.origin.rawValue).mapValues(\.count)
        deviceTypesByVendor = Dictionary(grouping: catalog.deviceTypes.values, by: \.vendor).mapValues(\.count)
        vendors = catalog.vendors.keys.sorted()
        motherboards = catalog.vendors.values.reduce(0) { $0 + $1.motherboards.count }
        var counts = Templates(
            indexed: catalog.templates.count, sumBiosCfg: 0, biosConfig: 0, unparseable: 0,
            deviceTypes: Set(catalog.templates.map(\.deviceType)).count)
        var templateErrors: [CatalogDiagnostic] = []
        for entry in catalog.templates {
            do throws(CatalogDiagnostic) {
                switch try entry.load().format {
                case .sumBiosCfg: counts.sumBiosCfg += 1
                case .biosConfig: counts.biosConfig += 1
                }
            } catch {
                counts.unparseable += 1
                templateErrors.append(error)
            }
        }
        templates = counts
        templateRules = catalog.deviceTypes.values.filter { $0.bios.rules != nil }.map(\.name).sorted()
        preservePatterns = catalog.preserve.patterns.count
        firmwareVendors = catalog.vendors.values.filter { !$0.firmware.isEmpty }.map(\.id).sorted()
        updatePolicies = catalog.firmware.policies.keys.sorted()
        legacyOnlyTypes = catalog.deviceTypes.values.filter { $0.origin == .legacy }.map(\.name).sorted()
        legacyFiles = loaded.legacyCounts
        warnings = loaded.diagnostics.filter { $0.severity == .warning }
        errors = loaded.diagnostics.filter { $0.severity == .error } + templateErrors
    }
}

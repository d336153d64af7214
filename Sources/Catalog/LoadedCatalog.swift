/// A catalog as loaded, with where it came from and what was found on the way.
public struct LoadedCatalog: Sendable {
    /// Where a catalog came from.
    public enum SourceKind: String, Sendable, Hashable, Codable {
        /// The catalog built into HWAutomation (no config directory given).
        case shipped
        /// A directory in our catalog schema (`catalog.yaml`, `vendors/*.yaml`).
        case catalog
        /// A legacy hwautomation config directory (`devices/`, `bios/`, `firmware/`).
        case legacy
    }

    /// Facts about a legacy directory's files, for `catalog status`.
    public struct LegacyCounts: Sendable, Hashable, Codable {
        /// Types in `devices/unified_device_config.yaml`.
        public var unifiedTypes: Int
        /// Types in `bios/device_mappings.yaml`.
        public var legacyTypes: Int
        /// Types in both.
        public var inBoth: Int
        /// Template-rule sets in `bios/template_rules.yaml`.
        public var templateRuleSets: Int

        enum CodingKeys: String, CodingKey {
            case unifiedTypes = "unified_types"
            case legacyTypes = "legacy_types"
            case inBoth = "in_both"
            case templateRuleSets = "template_rule_sets"
        }
    }

    /// The catalog.
    public var catalog: Catalog
    /// Which kind of source it was.
    public var kind: SourceKind
    /// The directory it was read from.
    public var directory: String
    /// Warnings (and, from `validate`, errors) found while loading.
    public var diagnostics: [CatalogDiagnostic]
    /// Per-file counts when the source is a legacy directory.
    public var legacyCounts: LegacyCounts?
    /// Where each device type is defined, for pointing diagnostics at it.
    public var typeLocations: [String: SourceLocation]
}

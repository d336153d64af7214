/// How one family of BMCs (a vendor's BMC generation, or the lab's) names BIOS settings over Redfish: the catalog's
/// per-vendor dialect map (`dialects:` in `bios-attributes.yaml`).
///
/// Resolution tries a BMC's own AttributeRegistry first (AttributeName, then DisplayName); a dialect adds the names
/// that neither finds (`ProcHyperthreading` on iLO, `LogicalProc` on iDRAC) and the values it spells its own way.
public struct BIOSDialect: Sendable, Hashable, Codable {
    /// Catalog vendor ids whose BMCs may speak it (`hpe`, `supermicro`, `dell`).
    public var vendors: [String]
    /// What it is (`HPE iLO 5 (ProLiant Gen10/Gen10 Plus)`).
    public var description: String
    /// Where its names come from (vendor guides, DMTF mockups, public registries).
    public var sources: [String]
    /// Generic attribute → this dialect's AttributeName.
    public var names: [String: String]
    /// Generic attribute → (our value → this dialect's ValueName).
    public var values: [String: [String: String]]
    /// Generic attributes that are no BIOS attribute on this dialect (a BMC setting such as `IPMILANSelection`), with
    /// why: they stay unresolved over Redfish, with that reason.
    public var notBIOS: [String: String]
    /// Whether its registries' DisplayNames are the setup menu's names (Supermicro): then a template setting whose
    /// name is a setup menu name resolves by DisplayName on a real BMC even with no entry in `names`.
    public var displayNamesAreMenuNames: Bool

    /// Creates a dialect.
    public init(
        vendors: [String], description: String, sources: [String] = [], names: [String: String] = [:],
        values: [String: [String: String]] = [:], notBIOS: [String: String] = [:],
        displayNamesAreMenuNames: Bool = false
    ) {
        self.vendors = vendors
        self.description = description
        self.sources = sources
        self.names = names
        self.values = values
        self.notBIOS = notBIOS
        self.displayNamesAreMenuNames = displayNamesAreMenuNames
    }

    enum CodingKeys: String, CodingKey {
        case vendors, description, sources, names, values
        case notBIOS = "not_bios"
        case displayNamesAreMenuNames = "display_names_are_menu_names"
    }

    /// Decodes, treating absent lists and maps as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        vendors = try container.decode([String].self, forKey: .vendors)
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        sources = try container.decodeIfPresent([String].self, forKey: .sources) ?? []
        names = try container.decodeIfPresent([String: String].self, forKey: .names) ?? [:]
        values = try container.decodeIfPresent([String: [String: String]].self, forKey: .values) ?? [:]
        notBIOS = try container.decodeIfPresent([String: String].self, forKey: .notBIOS) ?? [:]
        displayNamesAreMenuNames =
            try container.decodeIfPresent(Bool.self, forKey: .displayNamesAreMenuNames) ?? false
    }

    /// Encodes, leaving out what is empty.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(vendors, forKey: .vendors)
        try container.encode(description, forKey: .description)
        if !sources.isEmpty { try container.encode(sources, forKey: .sources) }
        if !names.isEmpty { try container.encode(names, forKey: .names) }
        if !values.isEmpty { try container.encode(values, forKey: .values) }
        if !notBIOS.isEmpty { try container.encode(notBIOS, forKey: .notBIOS) }
        if displayNamesAreMenuNames { try container.encode(true, forKey: .displayNamesAreMenuNames) }
    }
}

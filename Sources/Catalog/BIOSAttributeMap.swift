/// How a BIOS setting is named across interfaces, keyed by the generic attribute names template rules use
/// (`BootMode`, `IntelHyperThreadingTech`). Lives in the catalog (`bios-attributes.yaml`), not in code.
public struct BIOSAttributeMap: Sendable, Hashable, Codable {
    /// Where a device type's configs set an attribute, and how their values translate.
    public struct ConfigSource: Sendable, Hashable, Codable {
        /// `boot`, `cpu`, `memory` or `security`.
        public var group: String
        /// The config key (`boot_mode`).
        public var key: String
        /// Config value (`uefi`) → attribute value (`UEFI`), for word-valued configs.
        public var values: [String: String]?
        /// The attribute value when a flag config is true (`Enabled`).
        public var whenTrue: String?
        /// The attribute value when a flag config is false (`Disabled`).
        public var whenFalse: String?

        enum CodingKeys: String, CodingKey {
            case group, key, values
            case whenTrue = "when_true"
            case whenFalse = "when_false"
        }

        /// The attribute value for a config value, when the map says.
        public func attributeValue(for value: SettingValue) -> String? {
            switch value {
            case .bool(let flag): return flag ? whenTrue : whenFalse
            default: return values?[value.description.lowercased()] ?? values?[value.description]
            }
        }
    }

    /// One attribute.
    public struct Entry: Sendable, Hashable, Codable {
        /// Names BMCs use for it, tried in order against the BMC's own attributes.
        public var names: [String]
        /// Where device-type configs set it.
        public var config: ConfigSource?
        /// Our value → the names vendors use for it (`UEFI` → `Uefi`).
        public var aliases: [String: [String]]
        /// Supermicro SUM menu path (`Advanced/Boot mode select`).
        public var sum: String?
        /// HPE ilorest/conrep key.
        public var ilorest: String?
        /// Dell racadm key.
        public var racadm: String?

        /// Decodes, treating absent lists as empty.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            names = try container.decodeIfPresent([String].self, forKey: .names) ?? []
            config = try container.decodeIfPresent(ConfigSource.self, forKey: .config)
            aliases = try container.decodeIfPresent([String: [String]].self, forKey: .aliases) ?? [:]
            sum = try container.decodeIfPresent(String.self, forKey: .sum)
            ilorest = try container.decodeIfPresent(String.self, forKey: .ilorest)
            racadm = try container.decodeIfPresent(String.self, forKey: .racadm)
        }

        /// Encodes, leaving out what is empty.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(names, forKey: .names)
            try container.encodeIfPresent(config, forKey: .config)
            if !aliases.isEmpty { try container.encode(aliases, forKey: .aliases) }
            try container.encodeIfPresent(sum, forKey: .sum)
            try container.encodeIfPresent(ilorest, forKey: .ilorest)
            try container.encodeIfPresent(racadm, forKey: .racadm)
        }

        enum CodingKeys: String, CodingKey {
            case names, config, aliases, sum, ilorest, racadm
        }
    }

    /// Entries by generic attribute name.
    public var attributes: [String: Entry]

    /// Creates a map.
    public init(attributes: [String: Entry] = [:]) {
        self.attributes = attributes
    }

    /// The file's name in our schema.
    public static let fileName = "bios-attributes.yaml"
}

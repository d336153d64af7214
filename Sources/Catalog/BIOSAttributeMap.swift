import Foundation

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
        /// Names people and setup menus show for it (SUM menu names such as `Intel Hyper-Threading Technology`, a
        /// registry's `DisplayName`), matched ignoring case and punctuation.
        public var displayNames: [String]

        /// Creates an entry.
        public init(
            names: [String] = [], config: ConfigSource? = nil, aliases: [String: [String]] = [:], sum: String? = nil,
            ilorest: String? = nil, racadm: String? = nil, displayNames: [String] = []
        ) {
            self.names = names
            self.config = config
            self.aliases = aliases
            self.sum = sum
            self.ilorest = ilorest
            self.racadm = racadm
            self.displayNames = displayNames
        }

        /// Decodes, treating absent lists as empty.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            names = try container.decodeIfPresent([String].self, forKey: .names) ?? []
            config = try container.decodeIfPresent(ConfigSource.self, forKey: .config)
            aliases = try container.decodeIfPresent([String: [String]].self, forKey: .aliases) ?? [:]
            sum = try container.decodeIfPresent(String.self, forKey: .sum)
            ilorest = try container.decodeIfPresent(String.self, forKey: .ilorest)
            racadm = try container.decodeIfPresent(String.self, forKey: .racadm)
            displayNames = try container.decodeIfPresent([String].self, forKey: .displayNames) ?? []
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
            if !displayNames.isEmpty { try container.encode(displayNames, forKey: .displayNames) }
        }

        enum CodingKeys: String, CodingKey {
            case names, config, aliases, sum, ilorest, racadm
            case displayNames = "display_names"
        }

        /// Every display name it is known by: `displayNames` and the last component of its SUM menu path.
        public var knownDisplayNames: [String] {
            displayNames + (sum.flatMap { $0.split(separator: "/").last.map(String.init) }.map { [$0] } ?? [])
        }
    }

    /// Entries by generic attribute name.
    public var attributes: [String: Entry]
    /// Per-vendor dialects (BMC generations) by id (`hpe-ilo5`, `dell-idrac9`, `supermicro-x12`, `lab`).
    public var dialects: [String: BIOSDialect]

    /// Creates a map.
    public init(attributes: [String: Entry] = [:], dialects: [String: BIOSDialect] = [:]) {
        self.attributes = attributes
        self.dialects = dialects
    }

    enum CodingKeys: String, CodingKey {
        case attributes, dialects
    }

    /// Decodes, treating absent dialects as none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        attributes = try container.decodeIfPresent([String: Entry].self, forKey: .attributes) ?? [:]
        dialects = try container.decodeIfPresent([String: BIOSDialect].self, forKey: .dialects) ?? [:]
    }

    /// Encodes, leaving out absent dialects.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(attributes, forKey: .attributes)
        if !dialects.isEmpty { try container.encode(dialects, forKey: .dialects) }
    }

    /// The generic attribute a template setting names: by its full SUM menu path, else by a display name (the
    /// setting's own name), else by a `BiosConfig` config key. Nil when the map knows no such setting.
    public func generic(forTemplateSetting name: String, path: [String]) -> String? {
        let full = (path + [name]).joined(separator: "/").lowercased()
        if let match = attributes.first(where: { $0.value.sum?.lowercased() == full }) { return match.key }
        let key = Self.normalised(name)
        let byName = attributes.filter { entry in
            entry.value.knownDisplayNames.contains { Self.normalised($0) == key }
        }
        if let match = byName.min(by: { $0.key < $1.key }) { return match.key }
        return attributes.filter { $0.value.config?.key == name.lowercased() }.min(by: { $0.key < $1.key })?.key
    }

    /// The dialects that apply to `vendor`'s BMCs, in id order.
    public func dialects(forVendor vendor: String) -> [(id: String, dialect: BIOSDialect)] {
        dialects.filter { $0.value.vendors.contains(vendor.lowercased()) }.sorted { $0.key < $1.key }.map {
            ($0.key, $0.value)
        }
    }

    /// A name compared ignoring case, spaces and punctuation (`Intel(R) Hyper-Threading` = `intel r hyperthreading`).
    public static func normalised(_ name: String) -> String {
        // ASCII (every BMC's and tool's names seen so far) without Foundation's character sets; anything else by them.
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(name.utf8.count)
            for byte in name.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): bytes.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte + 32)
                default: continue
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(
            name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    /// The file's name in our schema.
    public static let fileName = "bios-attributes.yaml"
}

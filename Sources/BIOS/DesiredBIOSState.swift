import Catalog

/// The BIOS settings a device type wants, by generic attribute name, each with where it came from.
///
/// Precedence, lowest first (a later source overrides an earlier one for the same attribute):
/// 1. the type's XML templates (SUM `BiosCfg` settings matched by their menu name; `BiosConfig` settings by our
///    config keys);
/// 2. the type's configs (`boot`, `cpu`, `memory`, `security`), through the catalog's attribute map;
/// 3. the type's template rules (explicit attribute names and values).
/// Attributes matching a preserve-list glob (compared as `snake_case` and as written) are never changed.
public struct DesiredBIOSState: Sendable, Hashable, Codable {
    /// One wanted value.
    public struct Setting: Sendable, Hashable, Codable {
        /// The value, as the catalog writes it (`UEFI`, `Enabled`, `3`).
        public var value: String
        /// Where it came from (`rules`, `config boot.boot_mode`, `template s2.c2.small.xml`).
        public var source: String
    }

    /// The device type.
    public var deviceType: String
    /// Wanted values by generic attribute name.
    public var settings: [String: Setting]
    /// Attributes the preserve list protects, with the pattern that matched.
    public var preserved: [String: String]

    enum CodingKeys: String, CodingKey {
        case deviceType = "device_type"
        case settings, preserved
    }

    /// Builds the desired state of `type` from `catalog`; a template that does not parse is an error.
    public init(type: DeviceType, catalog: Catalog) throws(CatalogDiagnostic) {
        deviceType = type.name
        var settings: [String: Setting] = [:]
        let map = catalog.biosAttributes.attributes
        for entry in catalog.templates(for: type.name) {
            let template = try entry.load()
            for setting in template.settings {
                switch template.format {
                case .sumBiosCfg:
                    let name = setting.name.lowercased()
                    if let generic = map.first(where: { $0.value.sum?.split(separator: "/").last?.lowercased() == name }
                    )?.key {
                        settings[generic] = Setting(value: setting.value, source: "template \(entry.name)")
                    }
                case .biosConfig:
                    let key = setting.name.lowercased()
                    if let (generic, source) = map.first(where: { $0.value.config?.key == key }).map({
                        ($0.key, $0.value.config!)
                    }) {
                        let flag =
                            ["enabled", "true", "yes"].contains(setting.value.lowercased())
                            ? SettingValue.bool(true)
                            : (["disabled", "false", "no"].contains(setting.value.lowercased())
                                ? SettingValue.bool(false) : SettingValue.string(setting.value))
                        if let value = source.attributeValue(for: flag) {
                            settings[generic] = Setting(value: value, source: "template \(entry.name)")
                        }
                    }
                }
            }
        }
        let groups: [String: [String: SettingValue]] = [
            "boot": type.boot, "cpu": type.cpu, "memory": type.memory, "security": type.security,
        ]
        for (generic, entry) in map.sorted(by: { $0.key < $1.key }) {
            guard let source = entry.config, let configValue = groups[source.group]?[source.key],
                let value = source.attributeValue(for: configValue)
            else { continue }
            settings[generic] = Setting(value: value, source: "config \(source.group).\(source.key)")
        }
        for (name, value) in type.bios.rules?.modifications ?? [:] {
            settings[name] = Setting(value: value, source: "rules")
        }
        var preserved: [String: String] = [:]
        for name in settings.keys {
            if let pattern = catalog.preserve.pattern(matching: name)
                ?? catalog.preserve.pattern(matching: Self.snakeCase(name))
            {
                preserved[name] = pattern
                settings[name] = nil
            }
        }
        self.settings = settings
        self.preserved = preserved
    }

    /// `BootMode` → `boot_mode`, `IntelVTD` → `intel_vtd`.
    static func snakeCase(_ name: String) -> String {
        var result = ""
        var previousLower = false
        for character in name {
            if character.isUppercase && previousLower { result.append("_") }
            result.append(Character(character.lowercased()))
            previousLower = character.isLowercase || character.isNumber
        }
        return result
    }
}

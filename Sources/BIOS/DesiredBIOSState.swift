import Catalog

/// The BIOS settings a device type wants, each with where it came from; nothing a source names is dropped.
///
/// Precedence, lowest first (a later source overrides an earlier one for the same setting):
/// 1. the type's templates (SUM `BiosCfg` settings by menu path or display name, `BiosConfig` settings by config
///    key), each under its generic attribute name when the catalog's attribute map knows it, else under the
///    template's own setting name (resolved later against the BMC's registry by display name);
/// 2. the type's configs (`boot`, `cpu`, `memory`, `security`), through the catalog's attribute map;
/// 3. the type's template rules (explicit attribute names and values).
/// Settings matching a preserve-list glob (compared as `snake_case` and as written) are never changed.
/// `contributions` keeps every setting every source named, with what became of it.
public struct DesiredBIOSState: Sendable, Hashable, Codable {
    /// A template's own setting: which template, where in its menus, what it is called there.
    public struct TemplateSetting: Sendable, Hashable, Codable {
        /// The template's name (`a1.c5.large.xml`).
        public var file: String
        /// Menu path (`["Advanced", "Memory RAS Configuration"]`) or group (`["CPU"]`).
        public var menuPath: [String]
        /// The setting's name in the template (`Intel Hyper-Threading Technology`).
        public var name: String

        /// Creates a reference.
        public init(file: String, menuPath: [String], name: String) {
            self.file = file
            self.menuPath = menuPath
            self.name = name
        }

        enum CodingKeys: String, CodingKey {
            case file
            case menuPath = "menu_path"
            case name
        }
    }

    /// One wanted value.
    public struct Setting: Sendable, Hashable, Codable {
        /// The value, as the catalog writes it (`UEFI`, `Enabled`, `3`).
        public var value: String
        /// Where it came from (`rules`, `config boot.boot_mode`, `template s2.c2.small.xml`).
        public var source: String
        /// The template setting it came from, when it came from a template.
        public var template: TemplateSetting?

        /// Creates a setting.
        public init(value: String, source: String, template: TemplateSetting? = nil) {
            self.value = value
            self.source = source
            self.template = template
        }
    }

    /// What became of one setting a source named.
    public enum Standing: Sendable, Hashable, Codable {
        /// It is the value to apply.
        case desired
        /// A later source set the same setting (`config boot.boot_mode`, `rules`).
        case overridden(by: String)
        /// The preserve list protects it (the pattern).
        case preserved(pattern: String)
    }

    /// One setting as a source named it.
    public struct Contribution: Sendable, Hashable, Codable {
        /// The setting it sets (generic attribute name, or the template's own name).
        public var setting: String
        /// The value the source gives.
        public var value: String
        /// The source (`template a1.c5.large.xml`, `config cpu.hyperthreading`, `rules`).
        public var source: String
        /// For template settings: the template's own name and menu path.
        public var template: TemplateSetting?
        /// What became of it.
        public var standing: Standing
    }

    /// The device type.
    public var deviceType: String
    /// Wanted values by setting name (generic attribute name, or a template's own setting name).
    public var settings: [String: Setting]
    /// Settings the preserve list protects, with the pattern that matched.
    public var preserved: [String: String]
    /// Every setting every source named, in source order (templates, configs, rules).
    public var contributions: [Contribution]

    enum CodingKeys: String, CodingKey {
        case deviceType = "device_type"
        case settings, preserved, contributions
    }

    /// Decodes; a state without `contributions` (written before they existed) has none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        deviceType = try container.decode(String.self, forKey: .deviceType)
        settings = try container.decode([String: Setting].self, forKey: .settings)
        preserved = try container.decodeIfPresent([String: String].self, forKey: .preserved) ?? [:]
        contributions = try container.decodeIfPresent([Contribution].self, forKey: .contributions) ?? []
    }

    /// Builds the desired state of `type` from `catalog`; a template that does not parse is an error.
    public init(type: DeviceType, catalog: Catalog) throws(CatalogDiagnostic) {
        deviceType = type.name
        var contributions: [Contribution] = []
        let attributeMap = catalog.biosAttributes
        let map = attributeMap.attributes
        for entry in catalog.templates(for: type.name) {
            let template = try entry.load()
            for setting in template.settings {
                let origin = TemplateSetting(file: entry.name, menuPath: setting.path, name: setting.name)
                let source = "template \(entry.name)"
                let generic = attributeMap.generic(forTemplateSetting: setting.name, path: setting.path)
                var value = setting.value
                if template.format == .biosConfig, let generic, let config = map[generic]?.config,
                    config.key == setting.name.lowercased()
                {
                    let lowered = setting.value.lowercased()
                    let flag =
                        ["enabled", "true", "yes"].contains(lowered)
                        ? SettingValue.bool(true)
                        : (["disabled", "false", "no"].contains(lowered)
                            ? SettingValue.bool(false) : SettingValue.string(setting.value))
                    value = config.attributeValue(for: flag) ?? setting.value
                }
                contributions.append(
                    Contribution(
                        setting: generic ?? setting.name, value: value, source: source, template: origin,
                        standing: .desired))
            }
        }
        let groups: [String: [String: SettingValue]] = [
            "boot": type.boot, "cpu": type.cpu, "memory": type.memory, "security": type.security,
        ]
        for (generic, entry) in map.sorted(by: { $0.key < $1.key }) {
            guard let source = entry.config, let configValue = groups[source.group]?[source.key],
                let value = source.attributeValue(for: configValue)
            else { continue }
            contributions.append(
                Contribution(
                    setting: generic, value: value, source: "config \(source.group).\(source.key)", template: nil,
                    standing: .desired))
        }
        for (name, value) in (type.bios.rules?.modifications ?? [:]).sorted(by: { $0.key < $1.key }) {
            contributions.append(
                Contribution(setting: name, value: value, source: "rules", template: nil, standing: .desired))
        }
        // The last contribution to a setting wins; earlier ones are overridden by it.
        var winner: [String: Int] = [:]
        for (index, contribution) in contributions.enumerated() { winner[contribution.setting] = index }
        var settings: [String: Setting] = [:]
        var preserved: [String: String] = [:]
        for (index, contribution) in contributions.enumerated() {
            let name = contribution.setting
            let pattern =
                catalog.preserve.pattern(matching: name) ?? catalog.preserve.pattern(matching: Self.snakeCase(name))
            if let pattern {
                contributions[index].standing = .preserved(pattern: pattern)
                preserved[name] = pattern
            } else if let last = winner[name], last != index {
                contributions[index].standing = .overridden(by: contributions[last].source)
            } else {
                settings[name] = Setting(
                    value: contribution.value, source: contribution.source, template: contribution.template)
            }
        }
        self.settings = settings
        self.preserved = preserved
        self.contributions = contributions
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

/// A BIOS template from the legacy `bios/xml_templates/` directory, in either of its two formats.
public struct BIOSTemplate: Sendable, Hashable, Codable {
    /// The XML dialect a template was written in.
    public enum Format: String, Sendable, Hashable, Codable {
        /// Supermicro SUM: `<BiosCfg><Menu name=".."><Setting name=".." selectedOption=".."/>`, settings nested.
        case sumBiosCfg = "sum_bioscfg"
        /// `<BiosConfig deviceType=".."><CPU><Setting name=".." value=".."/>`, our setting names by group.
        case biosConfig = "bios_config"
    }

    /// One setting: where it sits (menus and parent settings, or the group), its name and its value.
    public struct Setting: Sendable, Hashable, Codable {
        /// Menu path (`["Advanced", "Memory RAS Configuration"]`) or group (`["CPU"]`).
        public var path: [String]
        /// Setting name as the template writes it.
        public var name: String
        /// Selected option or value.
        public var value: String

        /// Creates a setting.
        public init(path: [String], name: String, value: String) {
            self.path = path
            self.name = name
            self.value = value
        }
    }

    /// The file name it came from (`s2.c2.small.xml`).
    public var source: String
    /// Its dialect.
    public var format: Format
    /// The `deviceType` attribute of a `BiosConfig` root, when present.
    public var declaredDeviceType: String?
    /// The `motherboard` attribute of a `BiosConfig` root, when present.
    public var motherboard: String?
    /// The settings, in file order.
    public var settings: [Setting]

    /// Creates a template.
    public init(
        source: String, format: Format, declaredDeviceType: String? = nil, motherboard: String? = nil,
        settings: [Setting]
    ) {
        self.source = source
        self.format = format
        self.declaredDeviceType = declaredDeviceType
        self.motherboard = motherboard
        self.settings = settings
    }

    enum CodingKeys: String, CodingKey {
        case source, format
        case declaredDeviceType = "declared_device_type"
        case motherboard, settings
    }
}

/// Where a device type's BIOS template is: a legacy XML file parsed on demand, or already in our catalog.
public struct BIOSTemplateEntry: Sendable, Hashable {
    /// The template's contents, now or later.
    public enum Content: Sendable, Hashable {
        /// An XML file to parse when asked.
        case file(path: String)
        /// Parsed already (our catalog schema stores templates as YAML).
        case embedded(BIOSTemplate)
    }

    /// The canonical device type the template is for (from its file name).
    public var deviceType: String
    /// The template's name (its file name).
    public var name: String
    /// Its contents.
    public var content: Content

    /// Creates an entry.
    public init(deviceType: String, name: String, content: Content) {
        self.deviceType = deviceType
        self.name = name
        self.content = content
    }

    /// The parsed template; XML files are read and parsed here.
    public func load() throws(CatalogDiagnostic) -> BIOSTemplate {
        switch content {
        case .embedded(let template):
            return template
        case .file(let path):
            return try BIOSTemplateXML.parse(fileAt: path, name: name).get()
        }
    }
}

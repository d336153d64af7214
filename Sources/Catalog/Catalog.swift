/// Everything HWAutomation knows about the servers it configures: vendors, their boards, our device types with
/// their hardware and desired configuration, BIOS rules and templates, the preserve list and firmware policy.
public struct Catalog: Sendable, Hashable {
    /// Catalog-wide settings.
    public var settings: GlobalSettings
    /// Vendors by identifier.
    public var vendors: [String: Vendor]
    /// Device types by canonical name.
    public var deviceTypes: [String: DeviceType]
    /// BIOS settings that are never overwritten.
    public var preserve: PreserveList
    /// Firmware repository settings, mappings, policies and profiles.
    public var firmware: FirmwareRepository
    /// BIOS templates, by device type, in name order.
    public var templates: [BIOSTemplateEntry]
    /// How BIOS settings are named across interfaces.
    public var biosAttributes: BIOSAttributeMap

    /// Creates a catalog.
    public init(
        settings: GlobalSettings = GlobalSettings(), vendors: [String: Vendor] = [:],
        deviceTypes: [String: DeviceType] = [:], preserve: PreserveList = PreserveList(),
        firmware: FirmwareRepository = FirmwareRepository(), templates: [BIOSTemplateEntry] = [],
        biosAttributes: BIOSAttributeMap = BIOSAttributeMap()
    ) {
        self.settings = settings
        self.vendors = vendors
        self.deviceTypes = deviceTypes
        self.preserve = preserve
        self.firmware = firmware
        self.templates = templates
        self.biosAttributes = biosAttributes
    }

    /// The device type named `name`, in any of its spellings (`s2_c2_large`, `s2.c2.large `).
    public func deviceType(named name: String) -> DeviceType? {
        deviceTypes[DeviceTypeName.canonical(name)]
    }

    /// Device types in name order, optionally of one vendor.
    public func sortedDeviceTypes(vendor: String? = nil) -> [DeviceType] {
        deviceTypes.values
            .filter { vendor == nil || $0.vendor == vendor?.lowercased() }
            .sorted { $0.name < $1.name }
    }

    /// The templates indexed for a device type.
    public func templates(for deviceType: String) -> [BIOSTemplateEntry] {
        let name = DeviceTypeName.canonical(deviceType)
        return templates.filter { $0.deviceType == name }
    }

    /// The BIOS method a type uses: its own preference, else the catalog default.
    public func preferredBIOSMethod(for type: DeviceType) -> BIOSMethod {
        type.bios.preferredMethod ?? settings.defaultBIOSMethod
    }

    /// The same catalog with every template parsed and embedded (as our schema stores them).
    public func resolvingTemplates() throws(CatalogDiagnostic) -> Catalog {
        var copy = self
        copy.templates = try templates.map { entry throws(CatalogDiagnostic) in
            var resolved = entry
            resolved.content = .embedded(try entry.load())
            return resolved
        }
        return copy
    }
}

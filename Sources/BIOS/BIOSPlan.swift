import Catalog
import Redfish

/// What applying a device type's BIOS settings to one BMC would do, setting by setting: each with its fate.
public struct BIOSPlan: Sendable, Hashable, Codable {
    /// The fate's kind, for filtering.
    public enum Status: String, Sendable, Hashable, Codable {
        /// It differs and will be changed.
        case change
        /// It already has the desired value.
        case alreadySet = "already_set"
        /// The desired value is already pending (staged for the next reset).
        case pending
        /// The preserve list protects it.
        case preserved
        /// The vendor tool sets it.
        case vendorTool = "vendor_tool"
        /// This BMC has no attribute for it.
        case unresolved
        /// The BMC would refuse the value (not allowed, out of bounds).
        case invalid
        /// The attribute cannot be written.
        case readOnly = "read_only"
    }

    /// Which interface a change goes through.
    public enum Route: String, Sendable, Hashable, Codable {
        /// Redfish PATCH of the settings object.
        case redfish
        /// The vendor's tool (SUM, ilorest, racadm).
        case vendorTool = "vendor_tool"
    }

    /// One setting.
    public struct Item: Sendable, Hashable, Codable {
        /// Setting name (generic attribute name such as `BootMode`, or a template's own setting name).
        public var setting: String
        /// The BMC's attribute name, when it has one.
        public var attribute: String?
        /// The current value.
        public var current: JSONValue?
        /// The value to set, as the BMC spells it (or as the catalog does, when the BMC has no attribute).
        public var desired: JSONValue?
        /// The verdict.
        public var fate: BIOSSettingFate
        /// Where the desired value came from.
        public var source: String
        /// For template settings: the template's own name and menu path.
        public var template: DesiredBIOSState.TemplateSetting?
        /// Whether the device type marks the setting optional (not applying it is no exception).
        public var optional: Bool

        /// Creates an item.
        public init(
            setting: String, attribute: String?, current: JSONValue?, desired: JSONValue?, fate: BIOSSettingFate,
            source: String, template: DesiredBIOSState.TemplateSetting? = nil, optional: Bool = false
        ) {
            self.setting = setting
            self.attribute = attribute
            self.current = current
            self.desired = desired
            self.fate = fate
            self.source = source
            self.template = template
            self.optional = optional
        }

        /// The fate's kind.
        public var status: Status {
            switch fate {
            case .change: .change
            case .alreadySet: .alreadySet
            case .pending: .pending
            case .preserved: .preserved
            case .vendorTool: .vendorTool
            case .unresolved: .unresolved
            case .invalid: .invalid
            case .readOnly: .readOnly
            }
        }

        /// For changes: the interface (Redfish, or the vendor tool when the type routes it there).
        public var route: Route? {
            switch fate {
            case .change: .redfish
            case .vendorTool: .vendorTool
            default: nil
            }
        }

        /// Why, for the fates that need a reason.
        public var reason: String? { fate.reason }

        enum CodingKeys: String, CodingKey {
            case setting, attribute, current, desired, fate, status, route, reason, source, template, optional
        }

        /// Encodes with the fate's details under `fate` and its kind, route and reason beside it.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(setting, forKey: .setting)
            try container.encodeIfPresent(attribute, forKey: .attribute)
            try container.encodeIfPresent(current, forKey: .current)
            try container.encodeIfPresent(desired, forKey: .desired)
            try container.encode(fate, forKey: .fate)
            try container.encode(status, forKey: .status)
            try container.encodeIfPresent(route, forKey: .route)
            try container.encodeIfPresent(reason, forKey: .reason)
            try container.encode(source, forKey: .source)
            try container.encodeIfPresent(template, forKey: .template)
            try container.encode(optional, forKey: .optional)
        }

        /// Decodes what `encode(to:)` wrote.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            setting = try container.decode(String.self, forKey: .setting)
            attribute = try container.decodeIfPresent(String.self, forKey: .attribute)
            current = try container.decodeIfPresent(JSONValue.self, forKey: .current)
            desired = try container.decodeIfPresent(JSONValue.self, forKey: .desired)
            fate = try container.decode(BIOSSettingFate.self, forKey: .fate)
            source = try container.decode(String.self, forKey: .source)
            template = try container.decodeIfPresent(DesiredBIOSState.TemplateSetting.self, forKey: .template)
            optional = try container.decodeIfPresent(Bool.self, forKey: .optional) ?? false
        }
    }

    /// A setting an apply leaves undone, and why.
    public struct Exception: Sendable, Hashable, Codable {
        /// The setting.
        public var setting: String
        /// Its fate's name (`unresolved`, `invalid`, `read_only`, `vendor_tool`).
        public var fate: String
        /// Why.
        public var reason: String
        /// Whether the device type marks it optional.
        public var optional: Bool

        /// `Setting (fate: reason)`.
        public var text: String { "\(setting) (\(fate): \(reason))" + (optional ? " [optional]" : "") }
    }

    /// The device type.
    public var deviceType: String
    /// The BMC.
    public var bmc: String
    /// Every setting considered, in name order.
    public var items: [Item]

    enum CodingKeys: String, CodingKey {
        case deviceType = "device_type"
        case bmc, items
    }

    /// Creates a plan.
    public init(deviceType: String, bmc: String, items: [Item]) {
        self.deviceType = deviceType
        self.bmc = bmc
        self.items = items
    }

    /// The changes, as the BMC's attribute → value.
    public var redfishChanges: [String: JSONValue] {
        var changes: [String: JSONValue] = [:]
        for item in items where item.fate == .change {
            if let attribute = item.attribute, let desired = item.desired { changes[attribute] = desired }
        }
        return changes
    }

    /// Settings that go to the vendor tool and still differ (routed `vendor_only` or `redfish_fallback`, the
    /// `vendor_tool` method, or what Redfish lacks on this BMC under `hybrid` / `fallback_method: vendor_tool`): the
    /// apply stages them with the tool before its one reset.
    public var vendorToolChanges: [Item] { items.filter { $0.route == .vendorTool } }

    /// Settings no apply can carry out (unresolved, invalid, read-only), with why.
    public var exceptions: [Exception] {
        items.filter(\.fate.isException).map {
            Exception(setting: $0.setting, fate: $0.fate.name, reason: $0.reason ?? "", optional: $0.optional)
        }
    }

    /// True when nothing needs doing.
    public var isEmpty: Bool { !items.contains { $0.fate == .change } }
}

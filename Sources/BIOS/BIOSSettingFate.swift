/// What becomes of one desired BIOS setting on one BMC: every setting has exactly one, in the plan, the apply, the
/// verify step, the store and the API.
public enum BIOSSettingFate: Sendable, Hashable, Codable {
    /// It differs and is changed over Redfish.
    case change
    /// It already has the desired value.
    case alreadySet
    /// The desired value is already pending (staged for the next reset).
    case pending
    /// The preserve list protects it (the pattern that matched).
    case preserved(pattern: String)
    /// It goes to the vendor's tool (`sum`, `ilorest`, `racadm`), and why.
    case vendorTool(tool: String, route: VendorRoute)
    /// This BMC has no attribute for it: the names and display names looked for, and a note when the catalog says
    /// why (a BMC setting that is no BIOS attribute on this dialect).
    case unresolved(tried: [String], note: String?)
    /// The BMC would refuse the value: the value asked for, the values it allows (empty for numbers), and why.
    case invalid(value: String, allowed: [String], reason: String)
    /// The attribute cannot be written (read-only, or read-only while another attribute has some value).
    case readOnly(reason: String)

    /// Why a setting goes to the vendor tool.
    public enum VendorRoute: String, Sendable, Hashable, Codable {
        /// The type routes the setting `vendor_only`.
        case vendorOnly = "vendor_only"
        /// The type's BIOS method is `vendor_tool`.
        case method = "vendor_tool_method"
        /// Redfish has no such attribute on this BMC, and the type's method (`hybrid`), its `fallback_method`
        /// (`vendor_tool`) or the setting's routing (`redfish_fallback`) sends it to the tool instead.
        case redfishLacksIt = "redfish_lacks_it"
        /// Redfish has it, but the tool is preferred: the setting's routing is `redfish_fallback` ("works via Redfish
        /// but the vendor tool is better"), or the type's method is `vendor_tool` with `fallback_method: redfish`.
        /// The apply sends it over Redfish instead when the tool cannot be run.
        case redfishFallback = "redfish_fallback"
    }

    /// The fate's name as JSON and tables show it (`change`, `already_set`, `vendor_tool`, `read_only`).
    public var name: String {
        switch self {
        case .change: "change"
        case .alreadySet: "already_set"
        case .pending: "pending"
        case .preserved: "preserved"
        case .vendorTool: "vendor_tool"
        case .unresolved: "unresolved"
        case .invalid: "invalid"
        case .readOnly: "read_only"
        }
    }

    /// Why, in words, for the fates that need a reason; nil for change, already_set and pending.
    public var reason: String? {
        switch self {
        case .change, .alreadySet, .pending: nil
        case .preserved(let pattern): "protected by `\(pattern)`"
        case .vendorTool(let tool, let route):
            switch route {
            case .vendorOnly: "routed vendor_only: \(tool) sets it"
            case .method: "the type's BIOS method is vendor_tool: \(tool) sets it"
            case .redfishLacksIt: "this BMC's Redfish has no such attribute: \(tool) sets it"
            case .redfishFallback: "routed redfish_fallback: \(tool) sets it, Redfish when \(tool) cannot be run"
            }
        case .unresolved(let tried, let note):
            "this BMC has no attribute for it (looked for \(tried.joined(separator: ", ")))"
                + (note.map { "; \($0)" } ?? "")
        case .invalid(_, let allowed, let reason):
            allowed.isEmpty ? reason : "\(reason); allowed: \(allowed.joined(separator: ", "))"
        case .readOnly(let reason): reason
        }
    }

    /// True for the fates no apply can carry out: unresolved, invalid, read-only. (A vendor-tool setting is sent
    /// to the tool in the same apply; only an apply that cannot run the tool reports it as not applied.)
    public var isException: Bool {
        switch self {
        case .unresolved, .invalid, .readOnly: true
        default: false
        }
    }

    enum CodingKeys: String, CodingKey {
        case fate, pattern, tool, route, tried, note, value, allowed, reason
    }

    /// Encodes as `{"fate": "invalid", "value": …, "allowed": […], "reason": …}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .fate)
        switch self {
        case .change, .alreadySet, .pending: break
        case .preserved(let pattern): try container.encode(pattern, forKey: .pattern)
        case .vendorTool(let tool, let route):
            try container.encode(tool, forKey: .tool)
            try container.encode(route, forKey: .route)
        case .unresolved(let tried, let note):
            try container.encode(tried, forKey: .tried)
            try container.encodeIfPresent(note, forKey: .note)
        case .invalid(let value, let allowed, let reason):
            try container.encode(value, forKey: .value)
            try container.encode(allowed, forKey: .allowed)
            try container.encode(reason, forKey: .reason)
        case .readOnly(let reason): try container.encode(reason, forKey: .reason)
        }
    }

    /// Decodes what `encode(to:)` wrote; an unknown fate is an error naming it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .fate)
        switch name {
        case "change": self = .change
        case "already_set": self = .alreadySet
        case "pending": self = .pending
        case "preserved": self = .preserved(pattern: try container.decode(String.self, forKey: .pattern))
        case "vendor_tool":
            self = .vendorTool(
                tool: try container.decode(String.self, forKey: .tool),
                route: try container.decode(VendorRoute.self, forKey: .route))
        case "unresolved":
            self = .unresolved(
                tried: try container.decode([String].self, forKey: .tried),
                note: try container.decodeIfPresent(String.self, forKey: .note))
        case "invalid":
            self = .invalid(
                value: try container.decode(String.self, forKey: .value),
                allowed: try container.decode([String].self, forKey: .allowed),
                reason: try container.decode(String.self, forKey: .reason))
        case "read_only": self = .readOnly(reason: try container.decode(String.self, forKey: .reason))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .fate, in: container,
                debugDescription: "unknown BIOS setting fate `\(name)`; expected change, already_set, pending, "
                    + "preserved, vendor_tool, unresolved, invalid or read_only")
        }
    }
}

import Foundation

/// What a drift check found on one server at one time: the BIOS settings and firmware that differ from its device
/// type's desired state (each BIOS setting with its fate from the BIOS plan), or why it could not be read.
public struct DriftRecord: Sendable, Hashable, Codable {
    /// The row's number (nil until stored); later checks have larger numbers.
    public var id: Int64?
    /// The server.
    public var serverID: String
    /// When the BMC was read.
    public var checkedAt: Date
    /// The device type whose desired state it was compared with (nil when the server has none).
    public var deviceType: String?
    /// The verdict.
    public var state: DriftState
    /// BIOS settings that differ (fates `change`, `pending`, `vendor_tool`) and settings no apply can carry out on
    /// this BMC (`unresolved`, `invalid`, `read_only`), in name order.
    public var settings: [DriftSetting]
    /// Firmware components the policy would update (`install`) or holds for approval (`approval`).
    public var firmware: [DriftFirmware]
    /// Whether firmware was compared at all (false when no firmware repository is configured).
    public var firmwareChecked: Bool
    /// The firmware policy compared with, when firmware was checked.
    public var firmwarePolicy: String?
    /// Why the server could not be checked (`unreachable`, `untyped`).
    public var error: String?
    /// The workflow run that checked it.
    public var workflowID: String?

    /// A record.
    public init(
        id: Int64? = nil, serverID: String, checkedAt: Date = Date(), deviceType: String?, state: DriftState,
        settings: [DriftSetting] = [], firmware: [DriftFirmware] = [], firmwareChecked: Bool = false,
        firmwarePolicy: String? = nil, error: String? = nil, workflowID: String? = nil
    ) {
        self.id = id
        self.serverID = serverID
        self.checkedAt = checkedAt
        self.deviceType = deviceType
        self.state = state
        self.settings = settings
        self.firmware = firmware
        self.firmwareChecked = firmwareChecked
        self.firmwarePolicy = firmwarePolicy
        self.error = error
        self.workflowID = workflowID
    }

    /// BIOS settings whose value differs from the desired one.
    public var biosDrift: Int { settings.filter(\.drifted).count }
    /// Firmware components behind the policy's target.
    public var firmwareDrift: Int { firmware.count }

    enum CodingKeys: String, CodingKey {
        case id
        case serverID = "server_id"
        case checkedAt = "checked_at"
        case deviceType = "device_type"
        case state, settings, firmware
        case firmwareChecked = "firmware_checked"
        case firmwarePolicy = "firmware_policy"
        case error
        case workflowID = "workflow_id"
        case biosDrift = "bios_drift"
        case firmwareDrift = "firmware_drift"
    }

    /// Encodes the record with its two counts beside it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encode(serverID, forKey: .serverID)
        try container.encode(checkedAt, forKey: .checkedAt)
        try container.encodeIfPresent(deviceType, forKey: .deviceType)
        try container.encode(state, forKey: .state)
        try container.encode(settings, forKey: .settings)
        try container.encode(firmware, forKey: .firmware)
        try container.encode(firmwareChecked, forKey: .firmwareChecked)
        try container.encodeIfPresent(firmwarePolicy, forKey: .firmwarePolicy)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encodeIfPresent(workflowID, forKey: .workflowID)
        try container.encode(biosDrift, forKey: .biosDrift)
        try container.encode(firmwareDrift, forKey: .firmwareDrift)
    }

    /// Decodes what `encode(to:)` wrote (the counts are derived again).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(Int64.self, forKey: .id)
        serverID = try container.decode(String.self, forKey: .serverID)
        checkedAt = try container.decode(Date.self, forKey: .checkedAt)
        deviceType = try container.decodeIfPresent(String.self, forKey: .deviceType)
        state = try container.decode(DriftState.self, forKey: .state)
        settings = try container.decodeIfPresent([DriftSetting].self, forKey: .settings) ?? []
        firmware = try container.decodeIfPresent([DriftFirmware].self, forKey: .firmware) ?? []
        firmwareChecked = try container.decodeIfPresent(Bool.self, forKey: .firmwareChecked) ?? false
        firmwarePolicy = try container.decodeIfPresent(String.self, forKey: .firmwarePolicy)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        workflowID = try container.decodeIfPresent(String.self, forKey: .workflowID)
    }
}

/// A drift check's verdict on one server.
public enum DriftState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every desired BIOS setting has its value and no firmware is behind the policy.
    case inSync = "in_sync"
    /// Some BIOS setting or firmware differs.
    case drifted
    /// The BMC could not be read (the error says why).
    case unreachable
    /// The server has no device type to compare with (classify or provision it first).
    case untyped
}

/// One BIOS setting of a drift record, with its fate from the BIOS plan.
public struct DriftSetting: Sendable, Hashable, Codable {
    /// The generic setting name (`BootMode`) or a template's setting.
    public var setting: String
    /// The BMC's attribute, when it has one.
    public var attribute: String?
    /// The value the BMC shows now.
    public var current: String?
    /// The value the device type wants.
    public var desired: String?
    /// Its fate (`change`, `pending`, `vendor_tool`, `unresolved`, `invalid`, `read_only`).
    public var fate: String
    /// Why, for the fates that say.
    public var reason: String?

    /// A setting.
    public init(
        setting: String, attribute: String?, current: String?, desired: String?, fate: String, reason: String?
    ) {
        self.setting = setting
        self.attribute = attribute
        self.current = current
        self.desired = desired
        self.fate = fate
        self.reason = reason
    }

    /// The fates whose value differs from the desired one (the others are settings no apply can carry out here).
    public static let driftingFates: Set<String> = ["change", "pending", "vendor_tool"]

    /// True when the running value is known to differ from the desired one: a setting the vendor tool sets because
    /// Redfish cannot read it (no current value) is not compared, never counted (sushy-tools showed the case).
    public var drifted: Bool { Self.driftingFates.contains(fate) && (fate != "vendor_tool" || current != nil) }
}

/// One firmware component of a drift record.
public struct DriftFirmware: Sendable, Hashable, Codable {
    /// `bmc`, `bios`, …
    public var component: String
    /// The running version.
    public var current: String?
    /// The version the policy would install.
    public var target: String?
    /// `install` or `approval`.
    public var decision: String
    /// Why, in words.
    public var reason: String

    /// A component.
    public init(component: String, current: String?, target: String?, decision: String, reason: String) {
        self.component = component
        self.current = current
        self.target = target
        self.decision = decision
        self.reason = reason
    }
}

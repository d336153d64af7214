/// A machine as MAAS describes it (the fields HWAutomation uses).
public struct MAASMachine: Sendable, Hashable, Codable {
    /// MAAS's id (`4y3h7n`).
    public var systemID: String
    /// Hostname.
    public var hostname: String
    /// Status code (`4` is Ready).
    public var status: Int
    /// Status name (`Ready`, `Failed commissioning`).
    public var statusName: String
    /// `on`, `off`, `unknown`.
    public var powerState: String?
    /// `redfish`, `ipmi`, ...
    public var powerType: String?
    /// Tags applied.
    public var tagNames: [String]
    /// MAC addresses of its interfaces.
    public var macAddresses: [String]
    /// The system serial number MAAS read during commissioning.
    public var serial: String?
    /// The free-text description (HWAutomation writes what it found there).
    public var description: String?
    /// The host's IPv4/IPv6 addresses: what MAAS observed on its interfaces (`interface_set[].discovered[]`)
    /// first, then the configured links (`links[]`), each once.
    public var addresses: [String]

    enum CodingKeys: String, CodingKey {
        case systemID = "system_id"
        case hostname, status
        case statusName = "status_name"
        case powerState = "power_state"
        case powerType = "power_type"
        case tagNames = "tag_names"
        case interfaceSet = "interface_set"
        case hardwareInfo = "hardware_info"
        case macAddresses = "mac_addresses"
        case serial, addresses, description
    }

    private struct Address: Codable { var ip_address: String? }
    private struct Interface: Codable {
        var mac_address: String?
        var discovered: [Address]?
        var links: [Address]?
    }
    private struct HardwareInfo: Codable { var system_serial: String? }

    /// Decodes MAAS's machine JSON (`interface_set[].mac_address`, `hardware_info.system_serial`) or our own
    /// encoding of it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        systemID = try container.decode(String.self, forKey: .systemID)
        hostname = try container.decodeIfPresent(String.self, forKey: .hostname) ?? systemID
        status = try container.decode(Int.self, forKey: .status)
        statusName = try container.decodeIfPresent(String.self, forKey: .statusName) ?? "status \(status)"
        powerState = try container.decodeIfPresent(String.self, forKey: .powerState)
        powerType = try container.decodeIfPresent(String.self, forKey: .powerType)
        tagNames = try container.decodeIfPresent([String].self, forKey: .tagNames) ?? []
        description = try container.decodeIfPresent(String.self, forKey: .description)
        let interfaces = try container.decodeIfPresent([Interface].self, forKey: .interfaceSet) ?? []
        if let macs = try container.decodeIfPresent([String].self, forKey: .macAddresses) {
            macAddresses = macs
        } else {
            macAddresses = interfaces.compactMap(\.mac_address).map { $0.lowercased() }
        }
        if let addresses = try container.decodeIfPresent([String].self, forKey: .addresses) {
            self.addresses = addresses
        } else {
            let found =
                interfaces.flatMap { $0.discovered ?? [] }.compactMap(\.ip_address)
                + interfaces.flatMap { $0.links ?? [] }.compactMap(\.ip_address)
            var seen = Set<String>()
            self.addresses = found.filter { !$0.isEmpty && seen.insert($0).inserted }
        }
        serial =
            try container.decodeIfPresent(String.self, forKey: .serial)
            ?? container.decodeIfPresent(HardwareInfo.self, forKey: .hardwareInfo)?.system_serial
    }

    /// Encodes HWAutomation's view (flat: `mac_addresses`, `serial`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(systemID, forKey: .systemID)
        try container.encode(hostname, forKey: .hostname)
        try container.encode(status, forKey: .status)
        try container.encode(statusName, forKey: .statusName)
        try container.encodeIfPresent(powerState, forKey: .powerState)
        try container.encodeIfPresent(powerType, forKey: .powerType)
        try container.encode(tagNames, forKey: .tagNames)
        try container.encode(macAddresses, forKey: .macAddresses)
        try container.encodeIfPresent(serial, forKey: .serial)
        try container.encode(addresses, forKey: .addresses)
        try container.encodeIfPresent(description, forKey: .description)
    }

    /// MAAS status codes HWAutomation acts on.
    public enum Status {
        /// New.
        public static let new = 0
        /// Commissioning.
        public static let commissioning = 1
        /// Failed commissioning.
        public static let failedCommissioning = 2
        /// Ready.
        public static let ready = 4
        /// Deployed.
        public static let deployed = 6
        /// Broken.
        public static let broken = 8
        /// Deploying.
        public static let deploying = 9
        /// Allocated.
        public static let allocated = 10
        /// Testing.
        public static let testing = 21
        /// Failed testing.
        public static let failedTesting = 22
    }
}

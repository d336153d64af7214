/// A machine as MAAS describes it (the fields HWAutomation uses), read from MAAS 3.x's machine JSON
/// (canonical/maas `src/maasserver/api/machines.py` `DISPLAYED_MACHINE_FIELDS`; zone, pool and domain are objects
/// there, of which the name is kept).
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
    /// `hostname.domain`.
    public var fqdn: String?
    /// `amd64/generic`, ...
    public var architecture: String?
    /// Logical CPUs.
    public var cpuCount: Int?
    /// Memory in MiB.
    public var memoryMiB: Int?
    /// Storage in MB (MAAS's `storage`: the disks' total).
    public var storageMB: Double?
    /// The zone's name.
    public var zone: String?
    /// The resource pool's name.
    public var pool: String?
    /// The DNS domain's name.
    public var domain: String?
    /// The user the machine is allocated to; nil when it is nobody's.
    public var owner: String?
    /// MAAS's message about the last event (`From 'New' to 'Commissioning'`).
    public var statusMessage: String?
    /// The MAC address of the interface it boots from (`boot_interface`).
    public var bootMACAddress: String?

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
        case serial, addresses, description, fqdn, architecture, zone, pool, domain, owner, memory, storage
        case cpuCount = "cpu_count"
        case statusMessage = "status_message"
        case bootInterface = "boot_interface"
        case bootMACAddress = "boot_mac_address"
    }

    private struct Address: Codable { var ip_address: String? }
    private struct Interface: Codable {
        var mac_address: String?
        var discovered: [Address]?
        var links: [Address]?
    }
    private struct HardwareInfo: Codable { var system_serial: String? }
    private struct Named: Codable { var name: String? }

    /// A zone, pool or domain: MAAS's object (its `name`), or our own flat string.
    private static func name(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String? {
        if let flat = try? container.decodeIfPresent(String.self, forKey: key) { return flat }
        return try container.decodeIfPresent(Named.self, forKey: key)?.name
    }

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
        fqdn = try container.decodeIfPresent(String.self, forKey: .fqdn)
        architecture = try container.decodeIfPresent(String.self, forKey: .architecture)
        cpuCount = try container.decodeIfPresent(Int.self, forKey: .cpuCount)
        memoryMiB = try container.decodeIfPresent(Int.self, forKey: .memory)
        storageMB = try container.decodeIfPresent(Double.self, forKey: .storage)
        zone = try Self.name(container, .zone)
        pool = try Self.name(container, .pool)
        domain = try Self.name(container, .domain)
        owner = try container.decodeIfPresent(String.self, forKey: .owner)
        statusMessage = try container.decodeIfPresent(String.self, forKey: .statusMessage)
        bootMACAddress =
            try container.decodeIfPresent(String.self, forKey: .bootMACAddress)
            ?? container.decodeIfPresent(Interface.self, forKey: .bootInterface)?.mac_address?.lowercased()
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
        try container.encodeIfPresent(fqdn, forKey: .fqdn)
        try container.encodeIfPresent(architecture, forKey: .architecture)
        try container.encodeIfPresent(cpuCount, forKey: .cpuCount)
        try container.encodeIfPresent(memoryMiB, forKey: .memory)
        try container.encodeIfPresent(storageMB, forKey: .storage)
        try container.encodeIfPresent(zone, forKey: .zone)
        try container.encodeIfPresent(pool, forKey: .pool)
        try container.encodeIfPresent(domain, forKey: .domain)
        try container.encodeIfPresent(owner, forKey: .owner)
        try container.encodeIfPresent(statusMessage, forKey: .statusMessage)
        try container.encodeIfPresent(bootMACAddress, forKey: .bootMACAddress)
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

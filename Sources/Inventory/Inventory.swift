import Redfish

/// What a server is made of, as discovered over SSH (dmidecode, lscpu, ...) or over its BMC's Redfish API.
///
/// Every field is optional: discovery fills what it can read, records where each fact came from in
/// `sources`, and lists what it could not read in `problems`.
public struct Inventory: Sendable, Hashable, Codable {
    /// The system (chassis-level identity).
    public var system = SystemInfo()
    /// The motherboard.
    public var baseboard = BaseboardInfo()
    /// The system firmware.
    public var bios = BIOSInfo()
    /// Processors.
    public var cpu = CPUInventory()
    /// Memory.
    public var memory = MemoryInventory()
    /// Block devices that hold data.
    public var storage: [StorageDevice] = []
    /// Network interfaces.
    public var nics: [NetworkInterface] = []
    /// The BMC's network settings.
    public var bmc: BMCInfo?
    /// Fact (`cpu.physical_cores`) → where it came from (`dmidecode`, `lscpu`, `redfish`).
    public var sources: [String: String] = [:]
    /// What could not be read.
    public var problems: [InventoryProblem] = []

    /// Set by `Normalisation` once it has run over this inventory, so that classifying it again does not repeat the
    /// pass; cleared by `fill(from:)` (which merges raw readings in). Code of this module that writes raw readings
    /// into an inventory starts from an empty one; it is not stored (an inventory read back is normalised again).
    public var isNormalised: Bool { normalisedMark.isSet }
    /// The mark behind `isNormalised`: no part of the inventory's value (two inventories with the same facts are
    /// equal whether or not one was normalised already).
    var normalisedMark = NormalisedMark()

    /// Creates an empty inventory.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case system, baseboard, bios, cpu, memory, storage, nics, bmc, sources, problems
    }

    /// Records that `fact` came from `source`.
    mutating func note(_ fact: String, from source: String) {
        sources[fact] = source
    }

    /// Parses a tool's JSON output; nil (and a problem recorded) when it is not JSON.
    mutating func json(_ text: String, source: String) -> JSONValue? {
        do {
            return try JSONValue.parse(text)
        } catch {
            problem(source, "not JSON: \(error)")
            return nil
        }
    }

    /// Records that `source` could not be read as expected (leaving `section` incomplete, when given).
    mutating func problem(_ source: String, _ message: String, section: InventorySection? = nil) {
        problems.append(InventoryProblem(source: source, message: message, section: section))
    }
}

/// Something discovery could not read.
public struct InventoryProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The tool output or resource (`lscpu.json`, `redfish /redfish/v1/Systems/1`).
    public var source: String
    /// What was wrong.
    public var message: String
    /// The part of the inventory it leaves incomplete (`memory` for a DIMM that could not be read), when known.
    public var section: InventorySection?

    /// Creates a problem record.
    public init(source: String, message: String, section: InventorySection? = nil) {
        self.source = source
        self.message = message
        self.section = section
    }

    /// `source: message`.
    public var description: String { "\(source): \(message)" }
}

/// System identity (SMBIOS type 1, Redfish ComputerSystem).
public struct SystemInfo: Sendable, Hashable, Codable {
    /// Maker (`Supermicro`, `HPE`).
    public var manufacturer: String?
    /// Product (`SYS-510T-MR`, `ProLiant DL360 Gen11`).
    public var product: String?
    /// Serial number.
    public var serial: String?
    /// SMBIOS UUID, lower case.
    public var uuid: String?
    /// SKU.
    public var sku: String?
    /// Chassis asset tag (SMBIOS type 3), when set.
    public var assetTag: String?
    /// Chassis type (`Rack Mount Chassis`).
    public var chassisType: String?
    /// The catalog's vendor identifier (`dell`, `hpe`, `lenovo`, `supermicro`), set by `Normalisation` from the
    /// system's (else the board's) manufacturer; `manufacturer` keeps what the firmware wrote.
    public var vendor: String?

    /// Creates a record.
    public init(
        manufacturer: String? = nil, product: String? = nil, serial: String? = nil, uuid: String? = nil,
        sku: String? = nil
    ) {
        self.manufacturer = manufacturer
        self.product = product
        self.serial = serial
        self.uuid = uuid
        self.sku = sku
    }
}

/// Motherboard identity (SMBIOS type 2).
public struct BaseboardInfo: Sendable, Hashable, Codable {
    /// Maker.
    public var manufacturer: String?
    /// Board model (`X12STE-F`): what the catalog's boards name.
    public var product: String?
    /// Serial number.
    public var serial: String?

    /// Creates a record.
    public init(manufacturer: String? = nil, product: String? = nil, serial: String? = nil) {
        self.manufacturer = manufacturer
        self.product = product
        self.serial = serial
    }
}

/// System firmware (SMBIOS type 0, Redfish BiosVersion).
public struct BIOSInfo: Sendable, Hashable, Codable {
    /// Vendor.
    public var vendor: String?
    /// Version string as the vendor writes it.
    public var version: String?
    /// Release date as written.
    public var releaseDate: String?

    /// Creates a record.
    public init(vendor: String? = nil, version: String? = nil, releaseDate: String? = nil) {
        self.vendor = vendor
        self.version = version
        self.releaseDate = releaseDate
    }

    enum CodingKeys: String, CodingKey {
        case vendor, version
        case releaseDate = "release_date"
    }
}

/// Processors, totalled over sockets.
public struct CPUInventory: Sendable, Hashable, Codable {
    /// The brand string (`Intel(R) Xeon(R) Gold 6326 CPU @ 2.90GHz`).
    public var model: String?
    /// Populated sockets.
    public var sockets: Int?
    /// Physical cores over all sockets (never logical CPUs).
    public var physicalCores: Int?
    /// Hardware threads over all sockets.
    public var threads: Int?
    /// Maximum speed in MHz.
    public var maxSpeedMHz: Int?

    /// Creates a record.
    public init(
        model: String? = nil, sockets: Int? = nil, physicalCores: Int? = nil, threads: Int? = nil,
        maxSpeedMHz: Int? = nil
    ) {
        self.model = model
        self.sockets = sockets
        self.physicalCores = physicalCores
        self.threads = threads
        self.maxSpeedMHz = maxSpeedMHz
    }

    enum CodingKeys: String, CodingKey {
        case model, sockets
        case physicalCores = "physical_cores"
        case threads
        case maxSpeedMHz = "max_speed_mhz"
    }
}

/// Memory: the installed total and the DIMMs.
public struct MemoryInventory: Sendable, Hashable, Codable {
    /// Installed memory in GiB (from DIMMs), or usable memory when only the OS total is known.
    public var totalGiB: Double?
    /// Whether `totalGiB` is the OS's usable figure (a little below the installed size).
    public var totalIsUsable: Bool
    /// Populated DIMMs.
    public var dimms: [DIMM]
    /// DIMM slots on the board (SMBIOS type 16), when known.
    public var slots: Int?
    /// The total the source reported, in GiB, when `Normalisation` replaced it (the DIMMs' marketing sizes summed,
    /// or a decimal-GB figure read as its marketing size): iDRAC 8's 8 × 31250 MiB gives 244.1 here and 256 in
    /// `totalGiB`. Nil when the reported total was kept.
    public var reportedTotalGiB: Double?

    /// Creates a record.
    public init(totalGiB: Double? = nil, totalIsUsable: Bool = false, dimms: [DIMM] = []) {
        self.totalGiB = totalGiB
        self.totalIsUsable = totalIsUsable
        self.dimms = dimms
    }

    enum CodingKeys: String, CodingKey {
        case totalGiB = "total_gib"
        case totalIsUsable = "total_is_usable"
        case dimms, slots
        case reportedTotalGiB = "reported_total_gib"
    }
}

/// One memory module.
public struct DIMM: Sendable, Hashable, Codable {
    /// Slot (`DIMM_A1`).
    public var slot: String
    /// Size in GiB.
    public var sizeGiB: Double
    /// Speed in MT/s.
    public var speedMTs: Int?
    /// Maker.
    public var manufacturer: String?
    /// Part number.
    public var part: String?
    /// Serial number.
    public var serial: String?
    /// The size the source reported, in GiB, when `Normalisation` replaced it with the marketing size (iDRAC 8's
    /// 31250 MiB is 30.52 GiB here and 32 in `sizeGiB`). Nil when the reported size was kept.
    public var reportedSizeGiB: Double?

    /// Creates a record.
    public init(
        slot: String, sizeGiB: Double, speedMTs: Int? = nil, manufacturer: String? = nil, part: String? = nil,
        serial: String? = nil
    ) {
        self.slot = slot
        self.sizeGiB = sizeGiB
        self.speedMTs = speedMTs
        self.manufacturer = manufacturer
        self.part = part
        self.serial = serial
    }

    enum CodingKeys: String, CodingKey {
        case slot
        case sizeGiB = "size_gib"
        case speedMTs = "speed_mts"
        case manufacturer, part, serial
        case reportedSizeGiB = "reported_size_gib"
    }
}

/// A data drive.
public struct StorageDevice: Sendable, Hashable, Codable {
    /// Kind of drive.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// NVMe flash.
        case nvme
        /// SATA/SAS flash.
        case ssd
        /// Spinning disk.
        case hdd
        /// Persistent memory namespace.
        case pmem
        /// Not known.
        case unknown
    }

    /// Device name (`nvme0n1`, `sda`, or the Redfish drive id).
    public var name: String
    /// Model.
    public var model: String?
    /// Size in bytes.
    public var sizeBytes: Int64
    /// Kind.
    public var kind: Kind
    /// Serial number.
    public var serial: String?
    /// The transport as reported (Redfish `Protocol`, iLO SmartStorage `InterfaceType`, lsblk `TRAN`): `PCIe`,
    /// `NVMe`, `SATA`, `SAS`. `Normalisation` derives `kind` from it.
    public var transport: String?
    /// The media as reported (Redfish / iLO `MediaType`): `SSD`, `HDD`. `Normalisation` derives `kind` from it.
    public var mediaType: String?
    /// The size the source reported, in bytes, when `Normalisation` replaced it with the nearest marketing
    /// capacity. Nil when the reported size was kept.
    public var reportedSizeBytes: Int64?
    /// The kind the reader concluded, when `Normalisation` changed it (an NVMe drive a BMC calls a PCIe SSD).
    public var reportedKind: Kind?

    /// Creates a record.
    public init(
        name: String, model: String? = nil, sizeBytes: Int64, kind: Kind, serial: String? = nil,
        transport: String? = nil, mediaType: String? = nil
    ) {
        self.name = name
        self.model = model
        self.sizeBytes = sizeBytes
        self.kind = kind
        self.serial = serial
        self.transport = transport
        self.mediaType = mediaType
    }

    enum CodingKeys: String, CodingKey {
        case name, model
        case sizeBytes = "size_bytes"
        case kind, serial, transport
        case mediaType = "media_type"
        case reportedSizeBytes = "reported_size_bytes"
        case reportedKind = "reported_kind"
    }
}

/// A network interface.
public struct NetworkInterface: Sendable, Hashable, Codable {
    /// What an interface is for; only `data` ports (and interfaces of unknown role) count as the server's ports.
    public enum Role: String, Sendable, Hashable, Codable {
        /// A port of the host's network adapters.
        case data
        /// A link between the host and its own BMC: a Redfish host interface, Lenovo XCC's `ToManager`, the
        /// LAN-over-USB NIC of iDRAC, iLO and XCC.
        case management
        /// A software interface: bridge, bond, VLAN, container or VM link, or an interface the BMC reports as
        /// `EthernetInterfaceType: Virtual`.
        case virtual
        /// A USB network adapter that is not known to lead to the BMC.
        case usb
    }

    /// Name (`eno1`) or Redfish id.
    public var name: String
    /// MAC address, lower case.
    public var mac: String?
    /// Link speed in Mbit/s, when known.
    public var speedMbps: Int?
    /// Whether the link is up.
    public var linkUp: Bool?
    /// IPv4 addresses with prefix (`10.0.0.5/24`).
    public var ipv4: [String]
    /// IPv6 addresses with prefix.
    public var ipv6: [String]
    /// How the source describes the interface (Redfish `Name`/`Description`, lshw `product`): `Ethernet Interface
    /// to Manager`, `Redfish Host Interface`. `Normalisation` reads the role from it.
    public var label: String?
    /// What the interface is for; nil until a reader or `Normalisation` decides.
    public var role: Role?
    /// The speed the source reported, in Mbit/s, when `Normalisation` replaced it with the nearest standard rate
    /// (iDRAC's 10240 for a 10 GbE port). Nil when the reported speed was kept.
    public var reportedSpeedMbps: Int?

    /// Whether the interface counts as one of the server's data ports (not a BMC link, USB or software
    /// interface).
    public var isDataPort: Bool { role == nil || role == .data }

    /// Creates a record.
    public init(
        name: String, mac: String? = nil, speedMbps: Int? = nil, linkUp: Bool? = nil, ipv4: [String] = [],
        ipv6: [String] = []
    ) {
        self.name = name
        self.mac = mac
        self.speedMbps = speedMbps
        self.linkUp = linkUp
        self.ipv4 = ipv4
        self.ipv6 = ipv6
    }

    enum CodingKeys: String, CodingKey {
        case name, mac
        case speedMbps = "speed_mbps"
        case linkUp = "link_up"
        case ipv4, ipv6, label, role
        case reportedSpeedMbps = "reported_speed_mbps"
    }
}

/// The BMC's LAN settings.
public struct BMCInfo: Sendable, Hashable, Codable {
    /// Address.
    public var ip: String?
    /// MAC address, lower case.
    public var mac: String?
    /// Netmask.
    public var netmask: String?
    /// Default gateway.
    public var gateway: String?
    /// 802.1q VLAN id; nil when disabled.
    public var vlan: Int?
    /// `static` or `dhcp` (or what the BMC says).
    public var ipSource: String?
    /// The BMC's firmware version (Redfish manager `FirmwareVersion`, `ipmitool mc info`).
    public var firmware: String?

    /// Creates a record.
    public init(
        ip: String? = nil, mac: String? = nil, netmask: String? = nil, gateway: String? = nil, vlan: Int? = nil,
        ipSource: String? = nil
    ) {
        self.ip = ip
        self.mac = mac
        self.netmask = netmask
        self.gateway = gateway
        self.vlan = vlan
        self.ipSource = ipSource
    }

    enum CodingKeys: String, CodingKey {
        case ip, mac, netmask, gateway, vlan, firmware
        case ipSource = "ip_source"
    }
}

/// Whether `Normalisation` has run over an inventory: a mark beside its facts, never part of its value.
struct NormalisedMark: Sendable, Hashable {
    /// Set by `Normalisation`.
    var isSet = false

    /// Always equal: the mark says nothing about the facts.
    static func == (_: NormalisedMark, _: NormalisedMark) -> Bool { true }

    /// Adds nothing to the hash.
    func hash(into hasher: inout Hasher) {}
}

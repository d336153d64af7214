import Foundation
import Redfish

/// Reads an inventory from a Redfish service: ComputerSystem (+ ProcessorSummary, MemorySummary), Processors,
/// Memory, EthernetInterfaces, Storage / SimpleStorage, the chassis' NetworkAdapters, Chassis, and the manager's
/// EthernetInterfaces; on HPE iLO, its own SmartStorage and BaseNetworkAdapters trees when the standard ones are
/// empty or absent (`RedfishInventoryReader+HPE.swift`).
///
/// Links are followed from the service root; no path is assumed. Values are read as the BMC writes them (10240 Mbps,
/// 31250 MiB, `LNVO`): `Normalisation` turns them into what people and the catalog use. A resource that cannot be
/// read becomes a problem in the inventory, naming the section it leaves incomplete, and the walk goes on.
public struct RedfishInventoryReader {
    /// Where documents come from (a live client or a saved tree).
    public let source: any RedfishDocumentSource
    /// Which system to read when the BMC has several (its `Id` or the end of its path); nil for the first.
    public let systemID: String?
    let label = "redfish"
    /// How the service is walked (expansion, members, drives), shared with `BoardingReader`.
    private let walk: RedfishWalk

    /// Creates a reader.
    public init(source: any RedfishDocumentSource, systemID: String? = nil) {
        self.source = source
        self.systemID = systemID
        walk = RedfishWalk(source: source)
    }

    /// Walks the service and fills `inventory` with what it finds.
    public func read(into inventory: inout Inventory) async {
        guard let root = await fetch(source.serviceRootPath, .system, &inventory) else { return }
        walk.start(root: root)
        var system: JSONValue?
        if let systems = root["Systems"]["@odata.id"].string,
            let collection = await collection(systems, .system, &inventory)
        {
            var members = collection["Members"].array.compactMap { $0["@odata.id"].string }
            if let systemID {
                members = members.filter {
                    $0 == systemID || $0.hasSuffix("/" + systemID) || $0.hasSuffix("/" + systemID + "/")
                }
                if members.isEmpty {
                    inventory.problem(label, "no system `\(systemID)` behind this BMC", section: .system)
                }
            } else if members.count > 1 {
                inventory.problem(
                    label, "\(members.count) systems behind this BMC; reading \(members[0]) (choose with --system)")
            }
            if let first = members.first, let document = await fetch(first, .system, &inventory) {
                inventory.note("redfish.system", from: first)
                system = document
                await readSystem(document, into: &inventory)
            } else if members.isEmpty && systemID == nil {
                inventory.problem(label, "the Systems collection is empty", section: .system)
            }
        } else {
            inventory.problem(label, "the service root has no Systems link", section: .system)
        }
        var chassis: [JSONValue] = []
        if let path = root["Chassis"]["@odata.id"].string {
            chassis = await members(of: path, .board, &inventory)
            readBaseboard(chassis, into: &inventory)
        }
        await readNetworkAdapters(chassis: chassis, system: system, into: &inventory)
        if let managers = root["Managers"]["@odata.id"].string { await readBMC(managers, into: &inventory) }
    }

    /// The document at `path`; nil, and a problem naming `section`, when it cannot be read.
    func fetch(_ path: String, _ section: InventorySection, _ inventory: inout Inventory) async -> JSONValue? {
        var failures: [RedfishWalk.Failure] = []
        defer { record(failures, section, &inventory) }
        return await walk.fetch(path, &failures)
    }

    /// The document at `path` expanded one level when the service can (`RedfishWalk.collection(_:_:)`); nil, and a
    /// problem naming `section`, when it cannot be read.
    func collection(_ path: String, _ section: InventorySection, _ inventory: inout Inventory) async -> JSONValue? {
        var failures: [RedfishWalk.Failure] = []
        defer { record(failures, section, &inventory) }
        return await walk.collection(path, &failures)
    }

    /// The members of the collection at `path` (`RedfishWalk.members(of:_:)`). A member that cannot be read is a
    /// problem naming `section`.
    func members(of path: String?, _ section: InventorySection, _ inventory: inout Inventory) async -> [JSONValue] {
        var failures: [RedfishWalk.Failure] = []
        defer { record(failures, section, &inventory) }
        return await walk.members(of: path, &failures)
    }

    /// Each failure as a problem naming `section`.
    private func record(_ failures: [RedfishWalk.Failure], _ section: InventorySection, _ inventory: inout Inventory) {
        for failure in failures { inventory.problem("\(label) \(failure.path)", "\(failure.error)", section: section) }
    }

    private func readSystem(_ system: JSONValue, into inventory: inout Inventory) async {
        inventory.system.manufacturer = system["Manufacturer"].string ?? inventory.system.manufacturer
        inventory.system.product = system["Model"].string ?? inventory.system.product
        inventory.system.serial = system["SerialNumber"].string ?? inventory.system.serial
        inventory.system.uuid = system["UUID"].string?.lowercased() ?? inventory.system.uuid
        inventory.system.sku = system["SKU"].string ?? inventory.system.sku
        inventory.bios.version = system["BiosVersion"].string ?? inventory.bios.version
        for fact in ["system.manufacturer", "system.product", "system.serial", "system.uuid"] {
            inventory.note(fact, from: label)
        }
        let summary = system["ProcessorSummary"]
        if let count = ParsedNumber.count(summary["Count"].int), count > 0 { inventory.cpu.sockets = count }
        if let cores = ParsedNumber.count(summary["CoreCount"].int), cores > 0 { inventory.cpu.physicalCores = cores }
        if let threads = ParsedNumber.count(summary["LogicalProcessorCount"].int), threads > 0 {
            inventory.cpu.threads = threads
        }
        inventory.cpu.model = Self.meaningful(summary["Model"].string) ?? inventory.cpu.model
        if let gib = system["MemorySummary"]["TotalSystemMemoryGiB"].double, gib > 0 {
            inventory.memory.totalGiB = gib
            inventory.memory.totalIsUsable = false
            inventory.note("memory.total_gib", from: label)
        }
        await readProcessors(system["Processors"]["@odata.id"].string, into: &inventory)
        await readMemory(system["Memory"]["@odata.id"].string, into: &inventory)
        await readInterfaces(system["EthernetInterfaces"]["@odata.id"].string, into: &inventory)
        await readStorage(system, into: &inventory)
        if inventory.storage.isEmpty { await readSmartStorage(system, into: &inventory) }
    }

    private func readProcessors(_ path: String?, into inventory: inout Inventory) async {
        let cpus = await members(of: path, .cpu, &inventory).filter {
            ($0["ProcessorType"].string ?? "CPU") == "CPU" && $0["Status"]["State"].string != "Absent"
        }
        guard !cpus.isEmpty else { return }
        inventory.cpu.sockets = cpus.count
        let cores = cpus.compactMap { ParsedNumber.count($0["TotalCores"].int) }
        if cores.count == cpus.count, let total = ParsedNumber.sum(cores) { inventory.cpu.physicalCores = total }
        let threads = cpus.compactMap { ParsedNumber.count($0["TotalThreads"].int) }
        if threads.count == cpus.count, let total = ParsedNumber.sum(threads) { inventory.cpu.threads = total }
        if let model = cpus.compactMap({ Self.meaningful($0["Model"].string) }).first { inventory.cpu.model = model }
        if let speed = cpus.compactMap({ ParsedNumber.count($0["MaxSpeedMHz"].int) }).max() {
            inventory.cpu.maxSpeedMHz = speed
        }
        for fact in ["cpu.sockets", "cpu.physical_cores", "cpu.model"] { inventory.note(fact, from: label) }
    }

    /// The DIMMs, and the total they add up to; when a module could not be read, the system's `MemorySummary`
    /// total (already read) is kept rather than replaced by the sum of the modules that could.
    private func readMemory(_ path: String?, into inventory: inout Inventory) async {
        let problems = inventory.problems.count
        let modules = await members(of: path, .memory, &inventory).filter {
            $0["Status"]["State"].string != "Absent" && ($0["CapacityMiB"].double ?? 0) > 0
        }
        guard !modules.isEmpty else { return }
        // CapacityMiB as written: iDRAC 8 writes a 32 GB DIMM as 31250 (decimal GB); `Normalisation` sizes it.
        inventory.memory.dimms = modules.map { module in
            DIMM(
                slot: module["DeviceLocator"].string ?? module["Id"].string ?? "DIMM",
                sizeGiB: (module["CapacityMiB"].double ?? 0) / 1024, speedMTs: module["OperatingSpeedMhz"].int,
                manufacturer: module["Manufacturer"].string, part: module["PartNumber"].string,
                serial: module["SerialNumber"].string)
        }
        let total = inventory.memory.dimms.reduce(0) { $0 + $1.sizeGiB }
        let complete = inventory.problems.count == problems
        guard complete || inventory.memory.totalGiB == nil else { return }
        inventory.memory.totalGiB = total.isFinite ? total : nil
        inventory.memory.totalIsUsable = false
        inventory.note("memory.total_gib", from: label)
    }

    /// The system's EthernetInterfaces. Lenovo XCC (and the DMTF mockups) list the host's virtual NIC to the BMC
    /// here (`ToManager`, 100 Mb, linked to the manager's HostInterface): it is read with its label, and marked
    /// `management` when the interface links a HostInterface. An interface the BMC types `Virtual` (DMTF's
    /// public-rackmount1 lists a VLAN of NIC 1, with NIC 1's MAC, as `VLAN1`) is marked `virtual`, so it is not
    /// counted as a second port with the same MAC whatever its id or description say.
    private func readInterfaces(_ path: String?, into inventory: inout Inventory) async {
        for interface in await members(of: path, .nics, &inventory) {
            let name = interface["Id"].string ?? "nic\(inventory.nics.count)"
            var nic = NetworkInterface(name: name)
            nic.mac = (interface["MACAddress"].string ?? interface["PermanentMACAddress"].string)?.lowercased()
            nic.speedMbps = interface["SpeedMbps"].int.flatMap { $0 > 0 ? $0 : nil }
            if let link = interface["LinkStatus"].string { nic.linkUp = link == "LinkUp" }
            nic.ipv4 = interface["IPv4Addresses"].array.compactMap { address in
                guard let ip = address["Address"].string else { return nil }
                return address["SubnetMask"].string.flatMap(Self.prefixLength).map { "\(ip)/\($0)" } ?? ip
            }
            nic.ipv6 = interface["IPv6Addresses"].array.compactMap { address in
                address["Address"].string.map { ip in address["PrefixLength"].int.map { "\(ip)/\($0)" } ?? ip }
            }
            nic.label = Self.meaningful(interface["Description"].string) ?? Self.meaningful(interface["Name"].string)
            if interface["Links"]["HostInterface"]["@odata.id"].string != nil {
                nic.role = .management
            } else if interface["EthernetInterfaceType"].string == "Virtual" {
                nic.role = .virtual
            }
            inventory.upsert(nic)
        }
    }

    private func readStorage(_ system: JSONValue, into inventory: inout Inventory) async {
        var failures: [RedfishWalk.Failure] = []
        let found = await walk.drives(ofStorage: system["Storage"]["@odata.id"].string, &failures)
        record(failures, .storage, &inventory)
        var drives: [StorageDevice] = []
        for (link, drive) in found {
            guard drive["Status"]["State"].string != "Absent",
                let bytes = ParsedNumber.bytes(drive["CapacityBytes"].double)
            else { continue }
            drives.append(
                StorageDevice(
                    name: drive["Id"].string ?? link, model: drive["Model"].string, sizeBytes: bytes,
                    kind: Self.kind(transport: drive["Protocol"].string, media: drive["MediaType"].string),
                    serial: drive["SerialNumber"].string, transport: drive["Protocol"].string,
                    mediaType: drive["MediaType"].string))
        }
        if drives.isEmpty {
            for controller in await members(of: system["SimpleStorage"]["@odata.id"].string, .storage, &inventory) {
                for device in controller["Devices"].array {
                    guard device["Status"]["State"].string != "Absent",
                        let bytes = ParsedNumber.bytes(device["CapacityBytes"].double)
                    else {
                        continue
                    }
                    drives.append(
                        StorageDevice(
                            name: device["Name"].string ?? "disk\(drives.count)", model: device["Model"].string,
                            sizeBytes: bytes, kind: .unknown))
                }
            }
        }
        if !drives.isEmpty {
            inventory.storage = drives
            inventory.note("storage", from: label)
        }
    }

    /// The kind a drive's own words say, before `Normalisation` (which also reads NVMe over `PCIe`, the interface
    /// and the model): `NVMe` protocol, else the media type.
    static func kind(transport: String?, media: String?) -> StorageDevice.Kind {
        switch (transport?.lowercased(), media?.lowercased()) {
        case ("nvme", _): return .nvme
        case (_, "ssd"): return .ssd
        case (_, "hdd"): return .hdd
        default: return .unknown
        }
    }

    /// Board model: a Chassis of type Motherboard/Card, else (Supermicro) the main chassis' Model.
    private func readBaseboard(_ chassis: [JSONValue], into inventory: inout Inventory) {
        if let board = chassis.first(where: {
            ["Motherboard", "Card", "Component"].contains($0["ChassisType"].string ?? "")
        }) {
            inventory.baseboard.product = board["Model"].string ?? board["PartNumber"].string
            inventory.baseboard.manufacturer = board["Manufacturer"].string
            inventory.baseboard.serial = board["SerialNumber"].string
        } else if let main = chassis.first, VendorName.normalise(inventory.system.manufacturer) == "supermicro" {
            inventory.baseboard.product = main["Model"].string
            inventory.baseboard.manufacturer = main["Manufacturer"].string
        }
        if inventory.baseboard.product != nil { inventory.note("baseboard.product", from: label) }
    }

    private func readBMC(_ path: String, into inventory: inout Inventory) async {
        let managers = await members(of: path, .bmc, &inventory)
        guard let manager = managers.first(where: { $0["ManagerType"].string == "BMC" }) ?? managers.first else {
            return
        }
        // The BMC's own network port, not its end of a host interface (DMTF's public-rackmount1 lists `ToHost`,
        // 192.168.20.55 on the host-interface link, beside the dedicated `eth0`): an interface linking a
        // HostInterface is taken only when it is the only one.
        let all = await members(of: manager["EthernetInterfaces"]["@odata.id"].string, .bmc, &inventory)
        let external = all.filter { $0["Links"]["HostInterface"]["@odata.id"].string == nil }
        let interfaces = external.isEmpty ? all : external
        guard let interface = interfaces.first(where: { !$0["IPv4Addresses"].array.isEmpty }) ?? interfaces.first else {
            if let firmware = manager["FirmwareVersion"].string {
                inventory.bmc = inventory.bmc ?? BMCInfo()
                inventory.bmc?.firmware = firmware
            }
            return
        }
        let address = interface["IPv4Addresses"].array.first ?? .null
        var bmc = BMCInfo()
        bmc.firmware = manager["FirmwareVersion"].string
        bmc.ip = address["Address"].string
        bmc.netmask = address["SubnetMask"].string
        bmc.gateway = address["Gateway"].string
        bmc.ipSource = address["AddressOrigin"].string?.lowercased()
        bmc.mac = interface["MACAddress"].string?.lowercased()
        if interface["VLAN"]["VLANEnable"].bool == true { bmc.vlan = interface["VLAN"]["VLANId"].int }
        inventory.bmc = bmc
        inventory.note("bmc", from: label)
    }

    /// Adds a port read from an adapter tree: merged into the interface with the same MAC (the EthernetInterfaces
    /// view of the same port wins for what it states), else added under `nic.name`.
    static func merge(_ nic: NetworkInterface, into inventory: inout Inventory) {
        let key = nic.mac.map(macKey)
        if let key, let index = inventory.nics.firstIndex(where: { $0.mac.map(macKey) == key }) {
            var existing = inventory.nics[index]
            existing.speedMbps = existing.speedMbps ?? nic.speedMbps
            existing.linkUp = existing.linkUp ?? nic.linkUp
            existing.label = existing.label ?? nic.label
            inventory.nics[index] = existing
        } else {
            inventory.upsert(nic)
        }
    }

    /// A MAC reduced to its hex digits, lower case, for comparing `AA:BB:…`, `aa-bb-…` and XCC's `AABBCC…`.
    static func macKey(_ mac: String) -> String {
        String(mac.lowercased().filter(\.isHexDigit))
    }

    /// nil for the placeholders some BMCs and emulators write (`N/A`, `Not Specified`).
    static func meaningful(_ text: String?) -> String? {
        Normalisation.meaningful(text)
    }

    /// `255.255.255.0` → 24.
    static func prefixLength(_ mask: String) -> Int? {
        let octets = mask.split(separator: ".").compactMap { UInt8($0) }
        guard octets.count == 4 else { return nil }
        return octets.reduce(0) { $0 + $1.nonzeroBitCount }
    }
}

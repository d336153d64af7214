import Foundation
import Redfish

/// The raw outputs of one discovery, named after their command: what support needs and what offline
/// re-classification reads.
///
/// ```
/// dmidecode.txt  lscpu.json  free.txt  ip-addr.json  lsblk.json  lshw.json  ipmitool-lan.txt  net-speed.txt
/// redfish/index.json, redfish/Systems/1/index.json, ...   (the Redfish tree, in the DMTF mockup layout)
/// ```
public struct DiscoveryBundle: Sendable {
    /// The tool outputs discovery knows, in the order they are applied (earlier ones are more authoritative).
    public enum File: String, Sendable, CaseIterable {
        /// `dmidecode` (types 0, 1, 2, 4, 16, 17).
        case dmidecode = "dmidecode.txt"
        /// `lscpu -J`.
        case lscpuJSON = "lscpu.json"
        /// plain `lscpu`.
        case lscpuText = "lscpu.txt"
        /// `free -b`.
        case free = "free.txt"
        /// `lsblk -J -b -d -o NAME,SIZE,MODEL,ROTA,TRAN,SERIAL,TYPE`.
        case lsblk = "lsblk.json"
        /// `ip -j addr`.
        case ipAddr = "ip-addr.json"
        /// `/sys/class/net/*/speed`.
        case netSpeed = "net-speed.txt"
        /// `lshw -json`.
        case lshw = "lshw.json"
        /// `ipmitool lan print 1`.
        case ipmitoolLan = "ipmitool-lan.txt"
    }

    /// Tool outputs by file.
    public var outputs: [File: String]
    /// The Redfish tree's folder, when the bundle has one.
    public var redfishRoot: URL?

    /// Creates a bundle.
    public init(outputs: [File: String] = [:], redfishRoot: URL? = nil) {
        self.outputs = outputs
        self.redfishRoot = redfishRoot
    }

    /// The folder name of the Redfish tree inside a bundle.
    public static let redfishFolder = "redfish"
    /// Inside the Redfish tree: the path of the system that was read (a BMC may manage several).
    public static let redfishSystemFile = "system.txt"

    /// Reads a bundle folder; missing files are allowed (the builder reports them). A folder that does not
    /// exist, or holds none of the known files, is an error.
    public static func read(from directory: URL) throws(DiscoveryError) -> DiscoveryBundle {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw DiscoveryError(target: directory.path, message: "the bundle folder does not exist")
        }
        var bundle = DiscoveryBundle()
        for file in File.allCases {
            let url = directory.appendingPathComponent(file.rawValue)
            if let data = FileManager.default.contents(atPath: url.path) {
                bundle.outputs[file] = String(decoding: data, as: UTF8.self)
            }
        }
        let redfish = directory.appendingPathComponent(redfishFolder)
        if FileManager.default.fileExists(atPath: redfish.appendingPathComponent("index.json").path) {
            bundle.redfishRoot = redfish
        }
        guard !bundle.outputs.isEmpty || bundle.redfishRoot != nil else {
            let names = File.allCases.map(\.rawValue).joined(separator: ", ")
            throw DiscoveryError(
                target: directory.path, message: "no discovery outputs here (expected some of \(names), or redfish/)")
        }
        return bundle
    }

    /// Writes the tool outputs into `directory` (created if needed). Redfish documents are saved as they are fetched.
    public func write(to directory: URL) throws(DiscoveryError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (file, text) in outputs {
                try Data(text.utf8).write(to: directory.appendingPathComponent(file.rawValue), options: .atomic)
            }
        } catch {
            throw DiscoveryError(
                target: directory.path, message: "cannot write the bundle: \(error.localizedDescription)")
        }
    }

    /// Builds the inventory: tool outputs in a fixed order, then the Redfish tree for what they left out.
    public func inventory() async -> Inventory {
        var inventory = Inventory()
        for file in File.allCases {
            if let text = outputs[file] {
                Self.apply(file, text, into: &inventory)
            } else if !outputs.isEmpty && isExpected(file) {
                inventory.problem(file.rawValue, "missing from the bundle", section: InventorySection(file))
            }
        }
        if let redfishRoot {
            var fromRedfish = Inventory()
            let system =
                (try? String(contentsOf: redfishRoot.appendingPathComponent(Self.redfishSystemFile), encoding: .utf8))
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            await RedfishInventoryReader(
                source: ReplayingSource(upstream: RedfishMockupSource(root: redfishRoot)), systemID: system
            ).read(
                into: &fromRedfish)
            // Normalised before the merge: `fill` matches NICs by MAC, and raw `0894EF…` is `08:94:ef:…`.
            Normalisation.normalise(&fromRedfish)
            // A Redfish-only bundle is the live walk replayed: its inventory is the walk's, as it was read.
            if outputs.isEmpty {
                inventory = fromRedfish
            } else {
                inventory.fill(from: fromRedfish)
            }
        }
        return Normalisation.normalised(inventory)
    }

    /// lscpu may come as JSON or text; lshw and in-band ipmitool are optional (slow, or not installed); a
    /// Redfish-only bundle expects no tool output at all.
    private func isExpected(_ file: File) -> Bool {
        switch file {
        case .lscpuText, .lshw, .ipmitoolLan: return false
        case .lscpuJSON: return outputs[.lscpuText] == nil
        default: return true
        }
    }

    /// Applies one tool output with its parser.
    public static func apply(_ file: File, _ text: String, into inventory: inout Inventory) {
        switch file {
        case .dmidecode: DMIDecodeParser.parse(text, into: &inventory, source: file.rawValue)
        case .lscpuJSON: LSCPUParser.parse(json: text, into: &inventory, source: file.rawValue)
        case .lscpuText: LSCPUParser.parse(text: text, into: &inventory, source: file.rawValue)
        case .free: FreeParser.parse(text, into: &inventory, source: file.rawValue)
        case .lsblk: LSBLKParser.parse(text, into: &inventory, source: file.rawValue)
        case .ipAddr: IPAddrParser.parse(text, into: &inventory, source: file.rawValue)
        case .netSpeed: NetSpeedParser.parse(text, into: &inventory, source: file.rawValue)
        case .lshw: LSHWParser.parse(text, into: &inventory, source: file.rawValue)
        case .ipmitoolLan: IPMILanParser.parse(text, into: &inventory, source: file.rawValue)
        }
    }
}

/// Discovery could not reach or read a server.
public struct DiscoveryError: Error, Sendable, CustomStringConvertible {
    /// The host, URL or folder.
    public var target: String
    /// What went wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(target: String, message: String) {
        self.target = target
        self.message = message
    }

    /// `target: message`.
    public var description: String { "\(target): \(message)" }
}

extension Inventory {
    /// Takes from `other` every fact this inventory lacks (SSH facts win over Redfish facts), field by field: every
    /// optional field of every section (a field left out here is a fact a bundle loses: `cpu.max_speed_mhz` was).
    public mutating func fill(from other: Inventory) {
        normalisedMark.isSet = false
        func merge<T>(_ mine: inout T?, _ theirs: T?) { if mine == nil { mine = theirs } }
        merge(&system.manufacturer, other.system.manufacturer)
        merge(&system.product, other.system.product)
        merge(&system.serial, other.system.serial)
        merge(&system.uuid, other.system.uuid)
        merge(&system.sku, other.system.sku)
        merge(&system.assetTag, other.system.assetTag)
        merge(&system.chassisType, other.system.chassisType)
        merge(&baseboard.product, other.baseboard.product)
        merge(&baseboard.manufacturer, other.baseboard.manufacturer)
        merge(&baseboard.serial, other.baseboard.serial)
        merge(&bios.vendor, other.bios.vendor)
        merge(&bios.version, other.bios.version)
        merge(&bios.releaseDate, other.bios.releaseDate)
        merge(&cpu.model, other.cpu.model)
        merge(&cpu.sockets, other.cpu.sockets)
        merge(&cpu.physicalCores, other.cpu.physicalCores)
        merge(&cpu.threads, other.cpu.threads)
        merge(&cpu.maxSpeedMHz, other.cpu.maxSpeedMHz)
        if memory.totalGiB == nil
            || (memory.totalIsUsable && other.memory.totalGiB != nil && !other.memory.totalIsUsable)
        {
            let slots = memory.slots
            memory = other.memory
            merge(&memory.slots, slots)
        } else {
            merge(&memory.slots, other.memory.slots)
        }
        if storage.isEmpty { storage = other.storage }
        if nics.isEmpty {
            nics = other.nics
        } else {
            let known = Set(nics.compactMap { $0.mac.map(RedfishInventoryReader.macKey) })
            nics += other.nics.filter { nic in
                !(nic.mac.map { known.contains(RedfishInventoryReader.macKey($0)) } ?? false)
            }
        }
        // A VLAN is not merged: nil there means "disabled", not "unknown".
        if var mine = bmc, let theirs = other.bmc {
            merge(&mine.ip, theirs.ip)
            merge(&mine.mac, theirs.mac)
            merge(&mine.netmask, theirs.netmask)
            merge(&mine.gateway, theirs.gateway)
            merge(&mine.ipSource, theirs.ipSource)
            merge(&mine.firmware, theirs.firmware)
            bmc = mine
        } else {
            merge(&bmc, other.bmc)
        }
        for (fact, source) in other.sources where sources[fact] == nil { sources[fact] = source }
        problems += other.problems
    }
}

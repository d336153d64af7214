import Catalog
import Foundation
import Inventory

/// One concrete server: the hardware a device type describes, made specific (serials, MACs, DIMMs, drives).
///
/// The lab's simulated BMCs and the tests render tool output and Redfish resources from it, so that discovery
/// and classification are exercised through the same formats real machines produce.
public struct ServerModel: Sendable, Hashable {
    /// A drive.
    public struct Drive: Sendable, Hashable {
        /// Kernel name (`nvme0n1`, `sda`).
        public var name: String
        /// Size in bytes as the drive reports it.
        public var sizeBytes: Int64
        /// Kind.
        public var kind: StorageDevice.Kind
        /// Model.
        public var model: String
        /// Serial.
        public var serial: String
    }

    /// A network port.
    public struct Port: Sendable, Hashable {
        /// Interface name.
        public var name: String
        /// MAC address.
        public var mac: String
        /// Speed in Mbit/s.
        public var speedMbps: Int
    }

    /// System maker as firmware writes it (`Supermicro`, `HPE`).
    public var manufacturer: String
    /// System product.
    public var product: String
    /// Baseboard product.
    public var board: String
    /// System serial.
    public var serial: String
    /// SMBIOS UUID.
    public var uuid: String
    /// BIOS version.
    public var biosVersion: String
    /// BIOS vendor.
    public var biosVendor: String
    /// CPU brand string.
    public var cpuBrand: String
    /// CPU maker as SMBIOS writes it.
    public var cpuVendor: String
    /// Populated sockets.
    public var sockets: Int
    /// Cores per socket.
    public var coresPerSocket: Int
    /// Threads per core.
    public var threadsPerCore: Int
    /// Maximum speed in MHz.
    public var maxSpeedMHz: Int
    /// DIMM size in GiB.
    public var dimmGiB: Int
    /// Populated DIMMs.
    public var dimmCount: Int
    /// Empty DIMM slots.
    public var emptySlots: Int
    /// Data drives.
    public var drives: [Drive]
    /// Network ports.
    public var ports: [Port]
    /// BMC address.
    public var bmcAddress: String
    /// BMC MAC.
    public var bmcMAC: String

    /// Installed memory in GiB.
    public var memoryGiB: Int { dimmGiB * dimmCount }

    /// The host's address on its first port: the BMC's, moved from 10.10–… to 10.110–… (a separate lab network).
    public var hostAddress: String {
        var octets = bmcAddress.split(separator: ".").map(String.init)
        if octets.count == 4, let second = Int(octets[1]) { octets[1] = String(second + 100) }
        return octets.joined(separator: ".")
    }

    /// A server of `type`, number `index` (serials, MACs and UUIDs derive from the index, so runs are repeatable).
    public init(deviceType type: DeviceType, index: Int) {
        let hardware = type.hardware
        let hpe = type.vendor == "hpe"
        let dell = type.vendor == "dell"
        manufacturer = hpe ? "HPE" : (dell ? "Dell Inc." : "Supermicro")
        board = type.boards.first ?? (hpe ? "ProLiant Server" : "Unknown Board")
        // HPE and Dell name the system after the model (`ProLiant DL360 Gen10`, `PowerEdge R650`); Supermicro
        // systems are `SYS-` and the board. A Dell service tag is seven characters.
        product = hpe || dell ? board : "SYS-\(board)"
        serial = dell ? String(format: "%07X", 0xD00_0000 + index) : String(format: "%@%07d", hpe ? "CZ2" : "S5", index)
        uuid = String(
            format: "4c4c4544-%04x-%04x-8052-%012x", (index >> 16) & 0xFFFF, index & 0xFFFF, 0xB4C04F4E + index)
        biosVendor = hpe ? "HPE" : (dell ? "Dell Inc." : "American Megatrends International, LLC.")
        biosVersion = Self.biosVersion(vendor: type.vendor, board: board)
        // Catalog numbers are clamped to what a server can have, so a broken catalog makes an odd model, not a trap.
        sockets = min(max(1, hardware.cpu.sockets), Self.limit)
        let cores = min(max(1, hardware.cpu.cores ?? 8), Self.limit * Self.limit)
        coresPerSocket = max(1, cores / sockets)
        threadsPerCore = (hardware.cpu.model ?? "").lowercased().contains("ampere") ? 1 : 2
        let ghz = hardware.cpu.frequencyGHz.flatMap { $0.isFinite && $0 > 0 && $0 < 100 ? $0 : nil } ?? 2.4
        maxSpeedMHz = Int(ghz * 1000)
        (cpuVendor, cpuBrand) = Self.brand(for: hardware.cpu.model ?? "Intel Xeon", ghz: ghz)
        let memory = min(max(1, hardware.memoryGiB ?? 64), 64 * Self.limit)
        dimmGiB = memory <= 32 ? 8 : memory <= 128 ? 16 : memory <= 512 ? 32 : 64
        dimmCount = max(1, memory / dimmGiB)
        emptySlots = dimmCount
        var drives: [Drive] = []
        var nvme = 0
        var sata = 0
        for group in hardware.storage ?? [DriveGroup(count: 1, sizeGB: 480, kind: .ssd)]
        where group.kind != .persistentMemory {
            let sizeGB = group.sizeGB.isFinite ? min(max(0, group.sizeGB), 1e9) : 0
            for _ in 0..<min(max(0, group.count), Self.limit) {
                let bytes = Int64(sizeGB * 1e9) + Int64(sizeGB * 204_886)
                switch group.kind {
                case .nvme:
                    drives.append(
                        Drive(
                            name: "nvme\(nvme)n1", sizeBytes: bytes, kind: .nvme,
                            model: "SAMSUNG MZQL2\(Int(sizeGB))TLHA", serial: "S6\(index)N\(nvme)"))
                    nvme += 1
                default:
                    let letter = Self.letters(sata, base: 97)
                    let kind: StorageDevice.Kind = group.kind == .hdd ? .hdd : .ssd
                    drives.append(
                        Drive(
                            name: "sd\(letter)", sizeBytes: bytes, kind: kind, model: "MICRON_5400_MTFD",
                            serial: "M\(index)S\(sata)"))
                    sata += 1
                }
            }
        }
        self.drives = drives
        var ports: [Port] = []
        for group in hardware.network ?? [NICGroup(count: 2, speedGbps: 10)] {
            let mbps = group.speedGbps.isFinite ? Int(min(max(0, group.speedGbps), 1e6) * 1000) : 0
            for _ in 0..<min(max(0, group.count), Self.limit) {
                let n = ports.count
                ports.append(
                    Port(
                        name: "enp\(n / 2 + 1)s0f\(n % 2)",
                        mac: String(format: "3c:ec:ef:%02x:%02x:%02x", (index >> 8) & 0xFF, index & 0xFF, n),
                        speedMbps: mbps))
            }
        }
        self.ports = ports
        bmcAddress = "10.\(10 + (index >> 16) & 0xFF).\((index >> 8) & 0xFF).\(index & 0xFF)"
        bmcMAC = String(format: "3c:ec:ef:%02x:%02x:ff", (index >> 8) & 0xFF, index & 0xFF)
    }

    /// The BIOS a new server of this vendor and board ships with: HPE's ROM U30 v2.54, Supermicro 1.4, Dell by
    /// generation (16G PowerEdge R660/R760 on 2.x, 14G/15G on 1.x). The lab's registries differ by it (`LabBIOS`).
    static func biosVersion(vendor: String, board: String) -> String {
        switch vendor {
        case "hpe":
            return "U30 v2.54 (01/2025)"
        case "dell":
            let sixteenth = board.range(of: #"R\d6\d"#, options: .regularExpression) != nil
            return sixteenth ? "2.6.3" : "1.13.2"
        default:
            return "1.4"
        }
    }

    /// The most sockets, drives and ports of one kind a model gets (and 64 × this GiB of memory).
    static let limit = 256

    /// `a`, `b`, ... `z`, then `aa`, `ab`, ... (device letters; `base` 97 for lower case, 65 for upper case).
    static func letters(_ index: Int, base: UInt8) -> String {
        let letter = String(Character(UnicodeScalar(base + UInt8(index % 26))))
        return index < 26 ? letter : letters(index / 26 - 1, base: base) + letter
    }

    /// A realistic brand string for a catalog CPU model.
    static func brand(for model: String, ghz: Double) -> (vendor: String, brand: String) {
        var rest = model
        if rest.hasPrefix("Intel ") { rest.removeFirst(6) }
        let clock = String(format: "%.2fGHz", ghz)
        if rest.hasPrefix("Ampere") {
            return (
                "Ampere(R)",
                "Ampere(R) Altra(R) " + rest.replacingOccurrences(of: "Ampere Altra ", with: "") + " CPU @ \(clock)"
            )
        }
        if rest.hasPrefix("Core ") {
            let words = rest.split(separator: " ")
            let joined = words.count >= 3 ? "\(words[1])-\(words[2...].joined(separator: " "))" : rest
            return ("Intel(R) Corporation", "13th Gen Intel(R) Core(TM) \(joined)")
        }
        if rest.hasPrefix("Xeon ") {
            var tail = String(rest.dropFirst(5))
            if let range = tail.range(of: #"v\d+$"#, options: .regularExpression) {
                tail = tail[..<range.lowerBound] + " " + tail[range]
                return ("Intel(R) Corporation", "Intel(R) Xeon(R) CPU \(tail) @ \(clock)")
            }
            return ("Intel(R) Corporation", "Intel(R) Xeon(R) \(tail) CPU @ \(clock)")
        }
        if rest.hasPrefix("AMD") || rest.hasPrefix("EPYC") {
            return ("Advanced Micro Devices, Inc.", rest.hasPrefix("AMD") ? rest : "AMD \(rest)")
        }
        return ("Intel(R) Corporation", rest)
    }
}

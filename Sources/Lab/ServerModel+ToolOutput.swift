import Foundation
import Inventory

extension ServerModel {
    /// All tool outputs, as SSH discovery would collect them.
    public func discoveryBundle() -> DiscoveryBundle {
        DiscoveryBundle(outputs: [
            .dmidecode: dmidecode(), .lscpuJSON: lscpuJSON(), .free: free(), .lsblk: lsblkJSON(), .ipAddr: ipAddrJSON(),
            .netSpeed: netSpeed(), .ipmitoolLan: ipmitoolLan(),
        ])
    }

    /// `dmidecode` text in the layout dmidecode 3.x prints (types 0, 1, 2, 3, 4, 16, 17).
    public func dmidecode() -> String {
        var out = "# dmidecode 3.4\nGetting SMBIOS data from sysfs.\nSMBIOS 3.3.0 present.\n"
        func record(_ handle: Int, _ type: Int, _ size: Int, _ title: String, _ fields: [(String, String)]) {
            out += String(format: "\nHandle 0x%04X, DMI type %d, %d bytes\n", handle, type, size) + title + "\n"
            for (key, value) in fields { out += "\t\(key): \(value)\n" }
        }
        record(
            0x0000, 0, 26, "BIOS Information",
            [("Vendor", biosVendor), ("Version", biosVersion), ("Release Date", "01/15/2025"), ("ROM Size", "32 MB")])
        record(
            0x0001, 1, 27, "System Information",
            [
                ("Manufacturer", manufacturer), ("Product Name", product), ("Version", "0123456789"),
                ("Serial Number", serial),
                ("UUID", uuid), ("Wake-up Type", "Power Switch"), ("SKU Number", "To Be Filled By O.E.M."),
                ("Family", "Server"),
            ])
        record(
            0x0002, 2, 15, "Base Board Information",
            [
                ("Manufacturer", manufacturer), ("Product Name", board), ("Version", "1.01"),
                ("Serial Number", "MB" + serial),
                ("Asset Tag", "To Be Filled By O.E.M."), ("Location In Chassis", "Default string"),
                ("Type", "Motherboard"),
            ])
        record(
            0x0003, 3, 22, "Chassis Information",
            [
                ("Manufacturer", manufacturer), ("Type", "Rack Mount Chassis"), ("Serial Number", serial),
                ("Asset Tag", "Not Specified"),
            ])
        for socket in 0..<sockets {
            record(
                0x0040 + socket, 4, 48, "Processor Information",
                [
                    ("Socket Designation", "CPU\(socket + 1)"), ("Type", "Central Processor"),
                    ("Manufacturer", cpuVendor),
                    ("Version", cpuBrand), ("Max Speed", "\(maxSpeedMHz) MHz"), ("Current Speed", "\(maxSpeedMHz) MHz"),
                    ("Status", "Populated, Enabled"), ("Serial Number", "Not Specified"),
                    ("Core Count", "\(coresPerSocket)"),
                    ("Core Enabled", "\(coresPerSocket)"), ("Thread Count", "\(coresPerSocket * threadsPerCore)"),
                ])
        }
        record(
            0x0100, 16, 23, "Physical Memory Array",
            [
                ("Location", "System Board Or Motherboard"), ("Use", "System Memory"),
                ("Number Of Devices", "\(dimmCount + emptySlots)"),
            ])
        for slot in 0..<(dimmCount + emptySlots) {
            let populated = slot < dimmCount
            let locator =
                "P\(slot % max(1, sockets) + 1)-DIMM\(Self.letters(slot / 2, base: 65))\(slot % 2 + 1)"
            record(
                0x0110 + slot, 17, 92, "Memory Device",
                [
                    ("Array Handle", "0x0100"), ("Size", populated ? "\(dimmGiB) GB" : "No Module Installed"),
                    ("Form Factor", "DIMM"), ("Locator", locator), ("Type", populated ? "DDR4" : "Unknown"),
                    ("Speed", populated ? "3200 MT/s" : "Unknown"), ("Manufacturer", populated ? "Samsung" : "NO DIMM"),
                    ("Serial Number", populated ? String(format: "%08X", 0x1000_0000 + slot) : "NO DIMM"),
                    ("Part Number", populated ? "M393A4K40EB3-CWE" : "NO DIMM"),
                ])
        }
        return out + "\nHandle 0x7F00, DMI type 127, 4 bytes\nEnd Of Table\n\n"
    }

    /// `lscpu -J` (util-linux 2.38 layout).
    public func lscpuJSON() -> String {
        let arm = cpuBrand.hasPrefix("Ampere")
        let fields: [(String, String)] = [
            ("Architecture:", arm ? "aarch64" : "x86_64"), ("CPU(s):", "\(sockets * coresPerSocket * threadsPerCore)"),
            ("Vendor ID:", arm ? "ARM" : "GenuineIntel"), ("Model name:", cpuBrand),
            ("Thread(s) per core:", "\(threadsPerCore)"),
            ("Core(s) per socket:", "\(coresPerSocket)"), ("Socket(s):", "\(sockets)"),
            ("CPU max MHz:", "\(maxSpeedMHz).0000"),
        ]
        let entries = fields.map { #"      {"field": "\#($0.0)", "data": "\#($0.1)"}"# }
        return "{\n   \"lscpu\": [\n" + entries.joined(separator: ",\n") + "\n   ]\n}\n"
    }

    /// `free -b`: usable memory a little below installed.
    public func free() -> String {
        let total = Int64(memoryGiB) * 1_073_741_824 * 975 / 1000
        return """
                           total        used        free      shared  buff/cache   available
            Mem:    \(total)  2147483648 \(total - 4_294_967_296)     8998912  2147483648 \(total - 2_147_483_648)
            Swap:              0           0           0

            """
    }

    /// `lsblk -J -b -d -o NAME,SIZE,MODEL,ROTA,TRAN,SERIAL,TYPE`.
    public func lsblkJSON() -> String {
        let devices = drives.map { drive in
            let transport = drive.kind == .nvme ? "nvme" : "sata"
            return
                #"      {"name": "\#(drive.name)", "size": \#(drive.sizeBytes), "model": "\#(drive.model)", "rota": \#(drive.kind == .hdd), "tran": "\#(transport)", "serial": "\#(drive.serial)", "type": "disk"}"#
        }
        return "{\n   \"blockdevices\": [\n" + devices.joined(separator: ",\n") + "\n   ]\n}\n"
    }

    /// `ip -j addr`: loopback and every port, the first with an address.
    public func ipAddrJSON() -> String {
        var links = [
            #"{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"operstate":"UNKNOWN","link_type":"loopback","address":"00:00:00:00:00:00","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8}]}"#
        ]
        for (index, port) in ports.enumerated() {
            let address =
                index == 0 ? #"{"family":"inet","local":"\#(hostAddress)","prefixlen":16}"# : ""
            links.append(
                #"{"ifindex":\#(index + 2),"ifname":"\#(port.name)","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"operstate":"UP","link_type":"ether","address":"\#(port.mac)","addr_info":[\#(address)]}"#
            )
        }
        return "[" + links.joined(separator: ",") + "]\n"
    }

    /// `/sys/class/net/*/speed`, one `PATH SPEED` line each.
    public func netSpeed() -> String {
        (["/sys/class/net/lo/speed -1"] + ports.map { "/sys/class/net/\($0.name)/speed \($0.speedMbps)" }).joined(
            separator: "\n") + "\n"
    }

    /// `ipmitool mc info` as the model's BMC answers it (IPMI manufacturer IDs: Supermicro 10876, HPE 47196,
    /// Dell 674).
    public func ipmitoolMCInfo() -> String {
        let (id, name): (Int, String) =
            switch manufacturer.lowercased() {
            case let maker where maker.contains("supermicro") || maker.contains("super micro"):
                (10876, "Super Micro Computer Inc.")
            case let maker where maker.contains("hpe") || maker.contains("hewlett"):
                (47196, "Hewlett Packard Enterprise")
            case let maker where maker.contains("dell"): (674, "DELL Inc")
            default: (0, "Unknown")
            }
        return """
            Device ID                 : 32
            Device Revision           : 1
            Firmware Revision         : \(bmcFirmwareRevision)
            IPMI Version              : 2.0
            Manufacturer ID           : \(id)
            Manufacturer Name         : \(name)
            Product ID                : 6929 (0x1b11)
            Device Available          : yes

            """
    }

    /// The BMC firmware as `mc info` prints it (major.minor of the lab BMC's 1.73.14).
    var bmcFirmwareRevision: String { "1.73" }

    /// `ipmitool lan print 1`.
    public func ipmitoolLan() -> String {
        """
        Set in Progress         : Set Complete
        IP Address Source       : Static Address
        IP Address              : \(bmcAddress)
        Subnet Mask             : 255.255.0.0
        MAC Address             : \(bmcMAC)
        Default Gateway IP      : 10.10.0.1
        802.1q VLAN ID          : Disabled

        """
    }
}

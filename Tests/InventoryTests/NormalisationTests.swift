import Foundation
import Testing

@testable import Inventory

/// Each normalisation rule on the figures real BMCs and firmware report.
@Suite("Normalisation rules")
struct NormalisationTests {
    @Test("link speeds snap to the nearest standard rate; odd rates are kept")
    func linkSpeeds() {
        // Dell iDRAC 8/9: binary-prefixed SpeedMbps.
        #expect(Normalisation.linkSpeed(10240) == 10000)
        #expect(Normalisation.linkSpeed(25600) == 25000)
        #expect(Normalisation.linkSpeed(1024) == 1000)
        #expect(Normalisation.linkSpeed(102_400) == 100_000)
        for rate in [100, 1000, 2500, 10000, 25000, 40000, 50000, 100_000, 200_000, 400_000] {
            #expect(Normalisation.linkSpeed(rate) == rate)
        }
        // 20 Gb (two bonded 10 GbE lanes) and 56 Gb (FDR) are no Ethernet rate nearby: kept as reported.
        #expect(Normalisation.linkSpeed(20000) == 20000)
        #expect(Normalisation.linkSpeed(56000) == 56000)
        #expect(Normalisation.linkSpeed(0) == 0)
    }

    @Test("interfaces keep the reported speed beside the standard one; normalising twice changes nothing")
    func interfaceSpeed() {
        var inventory = Inventory()
        inventory.nics = [NetworkInterface(name: "NIC.Integrated.1-1-1", mac: "B0:7B:25:DE:1A:10", speedMbps: 10240)]
        Normalisation.normalise(&inventory)
        #expect(inventory.nics[0].speedMbps == 10000)
        #expect(inventory.nics[0].reportedSpeedMbps == 10240)
        #expect(inventory.nics[0].mac == "b0:7b:25:de:1a:10")
        #expect(inventory.nics[0].role == .data)
        #expect(Normalisation.normalised(inventory) == inventory)
    }

    @Test("DIMM capacities: iDRAC 8's 31250 MiB, decimal and binary variants become the size sold")
    func dimmSizes() {
        #expect(Normalisation.dimmSize(31250.0 / 1024) == 32)  // iDRAC 8 CapacityMiB 31250
        #expect(Normalisation.dimmSize(32000.0 / 1024) == 32)  // 32000 MiB
        #expect(Normalisation.dimmSize(32e9 / 1_073_741_824) == 32)  // 32 × 10⁹ bytes
        #expect(Normalisation.dimmSize(32) == 32)
        #expect(Normalisation.dimmSize(15625.0 / 1024) == 16)
        #expect(Normalisation.dimmSize(62500.0 / 1024) == 64)
        #expect(Normalisation.dimmSize(46875.0 / 1024) == 48)  // DDR5 48 GB
        #expect(Normalisation.dimmSize(125_000.0 / 1024) == 128)
        // Not a variant of any size sold: kept.
        #expect(Normalisation.dimmSize(30) == 30)
        #expect(Normalisation.dimmSize(20) == 20)
    }

    @Test("the memory total follows the DIMMs and keeps the BMC's figure")
    func memoryFromDIMMs() {
        var memory = MemoryInventory(
            totalGiB: 8 * 31250.0 / 1024,
            dimms: (1...8).map { DIMM(slot: "DIMM.Socket.A\($0)", sizeGiB: 31250.0 / 1024) })
        Normalisation.normaliseMemory(&memory)
        #expect(memory.totalGiB == 256)
        #expect(((memory.reportedTotalGiB ?? 0) * 10).rounded() / 10 == 244.1)
        #expect(memory.dimms.allSatisfy { $0.sizeGiB == 32 && $0.reportedSizeGiB == 31250.0 / 1024 })
        let again = memory
        Normalisation.normaliseMemory(&memory)
        #expect(memory == again)

        // A BMC total that disagrees with its DIMMs (MemorySummary counting a failed DIMM): the DIMMs win.
        var disagreeing = MemoryInventory(
            totalGiB: 96, dimms: (1...4).map { DIMM(slot: "P1-DIMM\($0)", sizeGiB: 32) })
        Normalisation.normaliseMemory(&disagreeing)
        #expect(disagreeing.totalGiB == 128)
        #expect(disagreeing.reportedTotalGiB == 96)
    }

    @Test("a BMC total alone: iDRAC 8's 244.14 GiB is 256; whole sizes and the OS's usable figure are kept")
    func memoryTotalAlone() {
        var memory = MemoryInventory(totalGiB: 250_000.0 / 1024)
        Normalisation.normaliseMemory(&memory)
        #expect(memory.totalGiB == 256)
        #expect(memory.reportedTotalGiB == 250_000.0 / 1024)
        #expect(Normalisation.memoryTotal(384) == 384)
        #expect(Normalisation.memoryTotal(1536) == 1536)
        #expect(Normalisation.memoryTotal(238.418579) == 256)  // 256 × 10⁹ bytes
        #expect(Normalisation.memoryTotal(244) == 256)  // 244.14, rounded by the BMC
        #expect(Normalisation.memoryTotal(500) == 512)  // 16 × 32000 MiB
        #expect(Normalisation.memoryTotal(100) == 100)  // no variant of an installed size: kept
        var usable = MemoryInventory(totalGiB: 62.7, totalIsUsable: true)
        Normalisation.normaliseMemory(&usable)
        #expect(usable.totalGiB == 62.7)
        #expect(usable.reportedTotalGiB == nil)
    }

    @Test("drive kind from Protocol, MediaType, interface, name and model: NVMe over PCIe is nvme")
    func driveKinds() {
        func kind(
            _ transport: String?, _ media: String?, name: String = "Disk.Bay.0", model: String? = nil,
            reported: StorageDevice.Kind = .unknown
        ) -> StorageDevice.Kind {
            Normalisation.driveKind(
                transport: transport, mediaType: media, name: name, model: model, reported: reported)
        }
        // Dell PERC 11/12 and iLO 5/6: NVMe drives as Protocol PCIe, MediaType SSD (the reader said ssd).
        #expect(kind("PCIe", "SSD", reported: .ssd) == .nvme)
        #expect(kind("NVMe", "SSD") == .nvme)
        #expect(kind(nil, nil, model: "Dell Ent NVMe CM6 RI 1.92TB") == .nvme)
        #expect(kind(nil, nil, name: "nvme0n1") == .nvme)
        #expect(kind("SATA", "SSD") == .ssd)
        #expect(kind("SAS", "HDD") == .hdd)
        #expect(kind("PCIe", "HDD") == .hdd)
        #expect(kind("sata", nil, reported: .hdd) == .hdd)
        #expect(kind(nil, nil, model: "MZ7L3480HCHQ SSD") == .ssd)
        #expect(kind(nil, nil) == .unknown)
        #expect(kind(nil, nil, name: "pmem0") == .pmem)
    }

    @Test("drive sizes snap to the nearest marketing capacity within the classifier's tolerance")
    func driveSizes() {
        #expect(Normalisation.driveSize(479_559_942_144) == 480_000_000_000)
        #expect(Normalisation.driveSize(960_197_124_096) == 960_000_000_000)
        #expect(Normalisation.driveSize(1_920_383_410_176) == 1_920_000_000_000)
        #expect(Normalisation.driveSize(3_840_755_982_336) == 3_840_000_000_000)
        #expect(Normalisation.driveSize(1_000_204_886_016) == 1_000_000_000_000)
        #expect(Normalisation.driveSize(4_000_787_030_016) == 4_000_000_000_000)
        #expect(Normalisation.driveSize(8_001_563_222_016) == 8_000_000_000_000)
        // iLO SmartStorage CapacityMiB 915715 (a 960 GB drive) as the reader converts it.
        #expect(Normalisation.driveSize(915_715 * 1_048_576) == 960_000_000_000)
        // A 900 GB SAS HDD stays 900, not 960.
        #expect(Normalisation.driveSize(900_185_481_216) == 900_000_000_000)
        // Far from every size (a 4 GB boot module): kept.
        #expect(Normalisation.driveSize(4_000_000_000) == 4_000_000_000)
        #expect(Normalisation.driveSizeTolerance == 0.12)

        var drive = StorageDevice(
            name: "Disk.Bay.0", sizeBytes: 1_920_383_410_176, kind: .ssd, transport: "PCIe", mediaType: "SSD")
        Normalisation.normaliseDrive(&drive)
        #expect(drive.kind == .nvme)
        #expect(drive.reportedKind == .ssd)
        #expect(drive.sizeBytes == 1_920_000_000_000)
        #expect(drive.reportedSizeBytes == 1_920_383_410_176)
        let again = drive
        Normalisation.normaliseDrive(&drive)
        #expect(drive == again)
    }

    @Test("manufacturer aliases map to one vendor id")
    func vendors() {
        let cases: [(String, String)] = [
            ("LNVO", "lenovo"), ("Lenovo", "lenovo"), ("LENOVO", "lenovo"), ("Dell Inc.", "dell"), ("DELL", "dell"),
            ("Dell EMC", "dell"), ("HPE", "hpe"), ("HP", "hpe"), ("Hewlett Packard Enterprise", "hpe"),
            ("Hewlett-Packard", "hpe"), ("Supermicro", "supermicro"), ("Super Micro Computer", "supermicro"),
            ("Super Micro Computer, Inc.", "supermicro"), ("SMC", "supermicro"),
            ("GIGA-BYTE TECHNOLOGY CO., LTD", "gigabyte"), ("Quanta Cloud Technology Inc.", "quanta"),
            ("  Intel Corporation ", "intel"),
        ]
        for (written, vendor) in cases {
            #expect(VendorName.normalise(written) == vendor, "\(written)")
        }
        #expect(VendorName.normalise("To be filled by O.E.M.") == nil)
        #expect(VendorName.normalise("  ") == nil)
        var inventory = Inventory()
        inventory.system.manufacturer = "NONE"
        inventory.baseboard.manufacturer = "LNVO"
        Normalisation.normalise(&inventory)
        #expect(inventory.system.vendor == "lenovo")
        #expect(inventory.system.manufacturer == nil)
        #expect(inventory.baseboard.manufacturer == "LNVO")
    }

    @Test("MACs take the colon form in lower case")
    func macs() {
        #expect(Normalisation.mac("0894EF123456") == "08:94:ef:12:34:56")  // Lenovo XCC
        #expect(Normalisation.mac("08-94-EF-12-34-56") == "08:94:ef:12:34:56")
        #expect(Normalisation.mac("0894.ef12.3456") == "08:94:ef:12:34:56")
        #expect(Normalisation.mac(" 08:94:EF:12:34:56 ") == "08:94:ef:12:34:56")
        #expect(Normalisation.mac("00:00:00:00:00:00") == nil)
        #expect(Normalisation.mac("FF:FF:FF:FF:FF:FF") == nil)
        #expect(Normalisation.mac("") == nil)
        #expect(Normalisation.mac("Not Available") == nil)
        let infiniband = "80:00:02:08:fe:80:00:00:00:00:00:00:0c:42:a1:03:00:9b:2c:41"
        #expect(Normalisation.mac(infiniband.uppercased()) == infiniband)
        var inventory = Inventory()
        inventory.bmc = BMCInfo(ip: "0.0.0.0", mac: "0894EF123457")
        Normalisation.normalise(&inventory)
        #expect(inventory.bmc?.mac == "08:94:ef:12:34:57")
        #expect(inventory.bmc?.ip == nil)
    }

    @Test("placeholder strings become nil everywhere in the inventory; real values are kept, trimmed")
    func placeholders() {
        let placeholders = [
            "NONE", "None", "To be filled by O.E.M.", "To Be Filled By O.E.M.", "Default string", "0123456789",
            "Not Specified", "", "   ", "N/A", "Unknown", "System Serial Number", "Base Board Product Name", "00000000",
            "FFFFFFFF", "0", "-", "...", "XXXXXXXX", "NO DIMM", "00000000-0000-0000-0000-000000000000",
            "03000200-0400-0500-0006-000700080009", "\0\0\0",
        ]
        for text in placeholders {
            #expect(Normalisation.meaningful(text) == nil, "\(text.debugDescription)")
        }
        // Every value dmidecode's and the Redfish reader's own lists refused before they shared this one.
        let earlier = [
            "not specified", "to be filled by o.e.m.", "default string", "unknown", "not present", "none",
            "not provided", "n/a", "na", "0123456789", "system serial number", "system product name",
            "system manufacturer", "base board serial number", "base board product name", "invalid", "not available",
            "no dimm", "empty", "o.e.m", "oem", "123456789",
        ]
        for text in earlier {
            #expect(Normalisation.meaningful(text) == nil, "\(text)")
            #expect(Normalisation.meaningful(text.uppercased()) == nil, "\(text.uppercased())")
        }
        for text in ["X12STE-F", "PowerEdge R650", "CN0ABC123", "F00D", "0x80AD", "1.2.3", "Default Gateway Co"] {
            #expect(Normalisation.meaningful(text) == text, "\(text)")
        }
        #expect(Normalisation.meaningful("  X11SCE-F ") == "X11SCE-F")

        var inventory = Inventory()
        inventory.system = SystemInfo(
            manufacturer: "To be filled by O.E.M.", product: "System Product Name", serial: "0123456789",
            uuid: "03000200-0400-0500-0006-000700080009", sku: "Default string")
        inventory.system.assetTag = "Not Specified"
        inventory.system.chassisType = "Unknown"
        inventory.baseboard = BaseboardInfo(manufacturer: "Default string", product: "NONE", serial: " ")
        inventory.bios = BIOSInfo(vendor: "N/A", version: "Not Specified", releaseDate: "")
        inventory.cpu.model = "Not Specified"
        inventory.memory.dimms = [
            DIMM(slot: "DIMMA1", sizeGiB: 16, manufacturer: "NO DIMM", part: "Not Specified", serial: "00000000")
        ]
        inventory.storage = [
            StorageDevice(name: "sda", model: "NONE", sizeBytes: 480e9.asBytes, kind: .ssd, serial: "")
        ]
        inventory.nics = [NetworkInterface(name: "eno1")]
        inventory.nics[0].label = "Not Available"
        inventory.bmc = BMCInfo()
        inventory.bmc?.firmware = "N/A"
        Normalisation.normalise(&inventory)
        let strings = [
            inventory.system.manufacturer, inventory.system.product, inventory.system.serial, inventory.system.uuid,
            inventory.system.sku, inventory.system.assetTag, inventory.system.chassisType, inventory.system.vendor,
            inventory.baseboard.manufacturer, inventory.baseboard.product, inventory.baseboard.serial,
            inventory.bios.vendor, inventory.bios.version, inventory.bios.releaseDate, inventory.cpu.model,
            inventory.memory.dimms[0].manufacturer, inventory.memory.dimms[0].part, inventory.memory.dimms[0].serial,
            inventory.storage[0].model, inventory.storage[0].serial, inventory.nics[0].label, inventory.bmc?.firmware,
        ]
        #expect(strings.allSatisfy { $0 == nil }, "\(strings)")
    }

    @Test("BMC links, USB NICs and software interfaces are marked and not data ports")
    func interfaceRoles() {
        func role(_ name: String, label: String? = nil, ipv4: [String] = []) -> NetworkInterface.Role {
            var nic = NetworkInterface(name: name, ipv4: ipv4)
            nic.label = label
            return Normalisation.interfaceRole(nic)
        }
        // Lenovo XCC's virtual NIC to the BMC among the host's interfaces.
        #expect(role("ToManager", label: "Ethernet Interface to Manager") == .management)
        // A Redfish host interface, and the host-side ends of XCC's, iDRAC's and iLO's LAN-over-USB links.
        #expect(role("1", label: "Redfish Host Interface") == .management)
        #expect(role("usb0", ipv4: ["169.254.95.120/24"]) == .management)
        #expect(role("idrac", ipv4: ["169.254.0.2/24"]) == .management)
        #expect(role("enx0a94ef123456", ipv4: ["16.1.15.2/30"]) == .management)
        #expect(role("usb1") == .usb)
        for name in ["docker0", "virbr0", "br0", "bond0", "eno1.100", "veth12ab", "vnet3", "tap0"] {
            #expect(role(name) == .virtual, "\(name)")
        }
        #expect(role("eth0", label: "Virtual Interface") == .virtual)
        for name in ["eno1", "ens1f0np0", "NIC.Integrated.1-1-1", "NIC.Slot.3-2-1", "1", "NIC1", "ib0"] {
            #expect(role(name) == .data, "\(name)")
        }
        // A reader's decision (Redfish `EthernetInterfaceType: Virtual`) stands.
        var flagged = NetworkInterface(name: "NIC1")
        flagged.role = .virtual
        #expect(Normalisation.interfaceRole(flagged) == .virtual)
        #expect(!flagged.isDataPort)
        #expect(NetworkInterface(name: "eno1").isDataPort)
    }

    @Test("the new fields round-trip through JSON and older inventories without them still decode")
    func coding() throws {
        var inventory = Inventory()
        inventory.nics = [NetworkInterface(name: "NIC1", speedMbps: 10240)]
        inventory.memory = MemoryInventory(totalGiB: 244.140625, dimms: [DIMM(slot: "A1", sizeGiB: 30.517578125)])
        inventory.storage = [StorageDevice(name: "d", sizeBytes: 960_197_124_096, kind: .ssd, transport: "PCIe")]
        Normalisation.normalise(&inventory)
        let data = try JSONEncoder().encode(inventory)
        #expect(try JSONDecoder().decode(Inventory.self, from: data) == inventory)
        let text = String(decoding: data, as: UTF8.self)
        for key in ["reported_speed_mbps", "reported_total_gib", "reported_size_gib", "reported_size_bytes", "role"] {
            #expect(text.contains(key), "\(key)")
        }
        let old = #"{"name":"eno1","mac":"aa:bb:cc:dd:ee:ff","speed_mbps":1000,"ipv4":[],"ipv6":[]}"#
        let nic = try JSONDecoder().decode(NetworkInterface.self, from: Data(old.utf8))
        #expect(nic.role == nil && nic.reportedSpeedMbps == nil && nic.isDataPort)
    }
}

extension Double {
    /// A byte count written as a decimal figure (`480e9`).
    fileprivate var asBytes: Int64 { Int64(self) }
}

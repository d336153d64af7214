import Foundation
import Redfish
import TestSupport
import Testing

@testable import Inventory

/// Parsers against output captured from the real tools (Fixtures/, made with scripts/peers and this machine).
@Suite("Tool output parsers")
struct ParserTests {
    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test("dmidecode: system, board, BIOS, two sockets of 16 cores, 8 DIMMs and 8 empty slots")
    func dmidecodeDual() throws {
        var inventory = Inventory()
        DMIDecodeParser.parse(try Self.fixture("dmidecode-supermicro-dual.txt"), into: &inventory)
        #expect(inventory.system.manufacturer == "Supermicro")
        #expect(inventory.system.product == "SYS-620U-TNR")
        #expect(inventory.system.serial == "S411B2X0001")
        #expect(inventory.system.uuid == "00000000-0000-0000-0000-3cecef123456")
        #expect(inventory.baseboard.product == "X12DPT-B6")
        #expect(inventory.bios.version == "1.4")
        #expect(inventory.cpu.sockets == 2)
        #expect(inventory.cpu.physicalCores == 32)
        #expect(inventory.cpu.threads == 64)
        #expect(inventory.cpu.model == "Intel(R) Xeon(R) Gold 6326 CPU @ 2.90GHz")
        #expect(inventory.memory.dimms.count == 8)
        #expect(inventory.memory.totalGiB == 256)
        #expect(inventory.memory.dimms.allSatisfy { $0.sizeGiB == 32 && $0.speedMTs == 3200 })
        #expect(inventory.memory.slots == 16)
        #expect(inventory.system.assetTag == "ASSET-42")
        #expect(inventory.system.chassisType == "Rack Mount Chassis")
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        #expect(inventory.sources["cpu.physical_cores"] == "dmidecode")
    }

    @Test("dmidecode: placeholders such as 'Not Specified' and 'To Be Filled By O.E.M.' are nothing")
    func placeholders() throws {
        var inventory = Inventory()
        DMIDecodeParser.parse(try Self.fixture("dmidecode-default.txt"), into: &inventory)
        #expect(inventory.system.serial == "SN-0001")
        #expect(inventory.memory.dimms.count == 4)
        #expect(inventory.cpu.physicalCores == 16)
        let text =
            "Handle 0x0001, DMI type 1, 27 bytes\nSystem Information\n\tManufacturer: To Be Filled By O.E.M.\n\tSerial Number: Not Specified\n"
        var empty = Inventory()
        DMIDecodeParser.parse(text, into: &empty)
        #expect(empty.system.manufacturer == nil)
        #expect(empty.system.serial == nil)
    }

    @Test("lscpu: JSON and text give the same physical cores, never logical CPUs")
    func lscpu() throws {
        var json = Inventory()
        LSCPUParser.parse(json: try Self.fixture("lscpu.json"), into: &json)
        var text = Inventory()
        LSCPUParser.parse(text: try Self.fixture("lscpu.txt"), into: &text)
        #expect(json.cpu.physicalCores == text.cpu.physicalCores)
        #expect(json.cpu.sockets == 1)
        #expect(json.cpu.model == "AMD EPYC")
        let twoSockets = "CPU(s): 80\nThread(s) per core: 2\nCore(s) per socket: 20\nSocket(s): 2\n"
        var dual = Inventory()
        LSCPUParser.parse(text: twoSockets, into: &dual)
        #expect(dual.cpu.physicalCores == 40)
        #expect(dual.cpu.threads == 80)
    }

    @Test("free, lsblk, ip, sysfs speeds, lshw (object and array), ipmitool lan print")
    func others() throws {
        var inventory = Inventory()
        FreeParser.parse(try Self.fixture("free.txt"), into: &inventory)
        #expect(inventory.memory.totalIsUsable)
        #expect((inventory.memory.totalGiB ?? 0) > 23)
        LSBLKParser.parse(try Self.fixture("lsblk.json"), into: &inventory)
        #expect(inventory.storage.map(\.name) == ["vda"])
        #expect(inventory.storage.first?.kind == .hdd)
        IPAddrParser.parse(try Self.fixture("ip-addr.json"), into: &inventory)
        #expect(!inventory.nics.contains { $0.name == "lo" })
        #expect(inventory.nics.contains { $0.name == "eth0" && !$0.ipv4.isEmpty })
        NetSpeedParser.parse("/sys/class/net/eth0/speed 25000\n/sys/class/net/eth1/speed -1\n", into: &inventory)
        #expect(inventory.nics.first { $0.name == "eth0" }?.speedMbps == 25000)
        LSHWParser.parse(try Self.fixture("lshw.json"), into: &inventory)
        LSHWParser.parse(try Self.fixture("lshw-network.json"), into: &inventory)
        IPMILanParser.parse(try Self.fixture("ipmitool-lan.txt"), into: &inventory)
        #expect(inventory.bmc?.ip == "127.0.0.1")
        #expect(inventory.bmc?.mac == "52:54:00:12:34:56")
        #expect(inventory.bmc?.ipSource == "static")
        #expect(inventory.bmc?.vlan == nil)
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
    }

    @Test("lshw in its array shape (-class network) and object shape both yield NICs")
    func lshwShapes() {
        let array =
            #"[{"id":"network","class":"network","logicalname":"ens1f0","serial":"3C:EC:EF:00:00:01","size":25000000000}]"#
        let object =
            #"{"id":"host","class":"system","children":[{"id":"network","class":"network","logicalname":"ens1f1","configuration":{"speed":"10Gbit/s","link":"yes"}}]}"#
        var inventory = Inventory()
        LSHWParser.parse(array, into: &inventory)
        LSHWParser.parse(object, into: &inventory)
        #expect(inventory.nics.first { $0.name == "ens1f0" }?.speedMbps == 25000)
        #expect(inventory.nics.first { $0.name == "ens1f1" }?.speedMbps == 10000)
        #expect(inventory.nics.first { $0.name == "ens1f1" }?.linkUp == true)
    }

    @Test("garbled, truncated and empty output: a partial inventory and a list of problems, never a crash")
    func damaged() throws {
        let dmidecode = try Self.fixture("dmidecode-supermicro-dual.txt")
        var truncated = Inventory()
        DMIDecodeParser.parse(String(dmidecode.prefix(dmidecode.count / 3)), into: &truncated)
        #expect(truncated.system.serial == "S411B2X0001")
        var empty = Inventory()
        for file in DiscoveryBundle.File.allCases { DiscoveryBundle.apply(file, "", into: &empty) }
        #expect(empty.problems.count >= DiscoveryBundle.File.allCases.count - 1)
        var garbage = Inventory()
        for file in DiscoveryBundle.File.allCases {
            DiscoveryBundle.apply(file, "{\"lscpu\": [ }} \u{0}\u{1}garbage", into: &garbage)
        }
        #expect(!garbage.problems.isEmpty)
    }
}

/// The Redfish path, over DMTF's rack-server mockup (read from ../shared).
@Suite("Redfish inventory")
struct RedfishInventoryTests {
    static let mockup = TestSupport.Peer.shared.appendingPathComponent("redfish-mockups/public-rackmount1")

    @Test("the DMTF rack server: system, CPUs, DIMMs, NICs, drives and the BMC's network")
    func mockup() async throws {
        var inventory = Inventory()
        await RedfishInventoryReader(source: RedfishMockupSource(root: Self.mockup)).read(into: &inventory)
        #expect(inventory.system.manufacturer == "Contoso")
        #expect(inventory.system.serial == "437XR1138R2")
        #expect(inventory.system.uuid == "38947555-7742-3448-3784-823347823834")
        #expect(inventory.bios.version == "P79 v1.45 (12/06/2017)")
        #expect((inventory.cpu.sockets ?? 0) >= 1)
        #expect((inventory.cpu.physicalCores ?? 0) > 0)
        #expect(!inventory.memory.dimms.isEmpty)
        #expect(inventory.memory.totalGiB == inventory.memory.dimms.reduce(0) { $0 + $1.sizeGiB })
        #expect(!inventory.nics.isEmpty)
        #expect(!inventory.storage.isEmpty)
        #expect(inventory.bmc?.ip != nil)
        #expect(inventory.sources["system.serial"] == "redfish")
    }
}

import Foundation
import Testing

@testable import Catalog

@Suite("Spec strings, names and globs")
struct ParsingTests {
    @Test(
        "storage strings",
        arguments: [
            ("2x 1TB NVMe", [DriveGroup(count: 2, sizeGB: 1000, kind: .nvme)]),
            ("1x 480GB SSD", [DriveGroup(count: 1, sizeGB: 480, kind: .ssd)]),
            ("4 x 8TB HDD", [DriveGroup(count: 4, sizeGB: 8000, kind: .hdd)]),
            ("1TB NVMe", [DriveGroup(count: 1, sizeGB: 1000, kind: .nvme)]),
            (
                "2x 4TB NVMe + DCPMM 2,048 GB",
                [
                    DriveGroup(count: 2, sizeGB: 4000, kind: .nvme),
                    DriveGroup(count: 1, sizeGB: 2048, kind: .persistentMemory),
                ]
            ),
            (
                "6x 15.36TB NVMe + 1x 1TB NVMe Boot Drive",
                [
                    DriveGroup(count: 6, sizeGB: 15360, kind: .nvme),
                    DriveGroup(count: 1, sizeGB: 1000, kind: .nvme, role: "boot drive"),
                ]
            ),
        ])
    func storage(text: String, expected: [DriveGroup]) throws {
        #expect(try HardwareSpecParser.storage(text).get() == expected)
    }

    @Test("unreadable storage and network strings say what they could not read")
    func failures() {
        guard case .failure(let size) = HardwareSpecParser.storage("lots of NVMe") else {
            Issue.record("expected a failure")
            return
        }
        #expect(size.reason.contains("drive size"))
        guard case .failure(let kind) = HardwareSpecParser.storage("2x 1TB") else {
            Issue.record("expected a failure")
            return
        }
        #expect(kind.reason.contains("drive kind"))
        guard case .failure(let network) = HardwareSpecParser.network("fast") else {
            Issue.record("expected a failure")
            return
        }
        #expect(network.reason.contains("port speed"))
    }

    @Test("network strings")
    func network() throws {
        #expect(try HardwareSpecParser.network("2x 25Gbps").get() == [NICGroup(count: 2, speedGbps: 25)])
        #expect(try HardwareSpecParser.network("4x 10GbE").get() == [NICGroup(count: 4, speedGbps: 10)])
        #expect(
            try HardwareSpecParser.network("2x 1Gbps + 2x 100Gbps").get() == [
                NICGroup(count: 2, speedGbps: 1), NICGroup(count: 2, speedGbps: 100),
            ])
    }

    @Test("CPU names: a leading Dual is two sockets; cores stay the total")
    func cpuNames() {
        let dual = CPUSpec(legacyName: "Dual Xeon Gold 6326", cores: 32, frequencyGHz: 2.6)
        #expect(dual.sockets == 2)
        #expect(dual.model == "Xeon Gold 6326")
        #expect(dual.cores == 32)
        #expect(dual.legacyName == "Dual Xeon Gold 6326")
        let single = CPUSpec(legacyName: "Intel Xeon E-2388G", cores: 8, frequencyGHz: nil)
        #expect(single.sockets == 1)
        #expect(single.legacyName == "Intel Xeon E-2388G")
    }

    @Test("device type names: underscores, spaces")
    func names() {
        #expect(DeviceTypeName.canonical("s2_c2_large") == "s2.c2.large")
        #expect(DeviceTypeName.canonical(" d3.m4.xlarge ") == "d3.m4.xlarge")
        #expect(DeviceTypeName.hasStrayWhitespace("d3.m4.xlarge "))
        #expect(!DeviceTypeName.hasStrayWhitespace("d3.m4.xlarge"))
    }

    @Test("preserve globs")
    func globs() {
        let list = PreserveList(patterns: ["mac_address_*", "dimm_*_size", "uuid", "cpu_?ig"])
        #expect(list.pattern(matching: "mac_address_lan1") == "mac_address_*")
        #expect(list.preserves("DIMM_A1_SIZE"))
        #expect(list.preserves("dimm__size"))
        #expect(!list.preserves("dimm_a1_speed"))
        #expect(list.preserves("UUID"))
        #expect(!list.preserves("uuid2"))
        #expect(list.preserves("cpu_sig"))
        #expect(!list.preserves("boot_mode"))
    }
}

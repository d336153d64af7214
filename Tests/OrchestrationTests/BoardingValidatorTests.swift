import BIOS
import Catalog
import Firmware
import Foundation
import Inventory
import Orchestration
import Redfish
import Testing

/// `BoardingValidator`'s verdicts from recorded facts: each check passes on a healthy s2.c2.small (1 × 1 TB NVMe,
/// 2 × 10 Gbps, UEFI, Secure Boot off), fails naming what is wrong, and is "not checked" (never "passed") when
/// there is nothing to judge.
@Suite("Boarding validation checks")
struct BoardingValidatorTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog
    let type = Self.catalog.deviceType(named: "s2.c2.small")!
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    var healthy: BoardingFacts {
        BoardingFacts(
            secureBoot: .init(enabled: false, currentBoot: "Disabled", mode: "UserMode"),
            sensors: [
                .init(
                    name: "CPU1 Temp", kind: "Temperature", reading: 45, units: "Cel", upperCritical: 95,
                    upperCaution: 85, health: "OK", state: "Enabled", path: "/redfish/v1/Chassis/1/Sensors/CPU1Temp"),
                .init(
                    name: "FAN1", kind: "Rotational", reading: 6000, units: "RPM", lowerCritical: 500,
                    health: "OK", state: "Enabled", path: "/redfish/v1/Chassis/1/Sensors/FAN1"),
            ], sensorsOffered: true,
            logEntries: [
                .init(
                    log: "SEL", id: "1", severity: "Critical", created: start.addingTimeInterval(-3600),
                    message: "PSU lost input before commissioning"),
                .init(log: "SEL", id: "2", severity: "OK", created: start.addingTimeInterval(60), message: "boot"),
            ], logsOffered: true,
            links: [
                .init(name: "1", linkUp: true, speedMbps: 10_000, state: "Enabled"),
                .init(name: "2", linkUp: true, speedMbps: 10_000, state: "Enabled"),
            ],
            drives: [.init(name: "nvme0n1", capacityBytes: 1_000_204_886_016, kind: "SSD", health: "OK", path: "/d")])
    }

    func bios(bootMode current: String) -> BIOSPlan {
        BIOSPlan(
            deviceType: type.name, bmc: "lab",
            items: [
                .init(
                    setting: "BootMode", attribute: "BootMode", current: .string(current), desired: .string("UEFI"),
                    fate: current == "UEFI" ? .alreadySet : .change, source: "type"),
                .init(
                    setting: "SecureBoot", attribute: "SecureBoot", current: .string("Disabled"),
                    desired: .string("Disabled"), fate: .alreadySet, source: "type"),
            ])
    }

    func checks(_ facts: BoardingFacts, bootMode: String = "UEFI", ipmi: BoardingValidator.IPMIReach = .notConfigured)
        -> [BoardingCheck.Name: BoardingCheck]
    {
        let list = BoardingValidator(type: type, since: start).checks(
            facts: facts, bios: .success(bios(bootMode: bootMode)), redfish: "answered", ipmi: ipmi,
            firmware: .notCompared("no firmware repository is configured"))
        #expect(list.map(\.name) == BoardingCheck.Name.allCases)
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }

    @Test("a healthy server passes; a critical entry from before commissioning does not count")
    func healthyPasses() {
        let result = checks(healthy, ipmi: .answered(firmware: "1.73"))
        for name in [
            BoardingCheck.Name.bootMode, .secureBoot, .bmcRedfish, .bmcIPMI, .sensors, .eventLog, .nicLinks,
            .drives,
        ] {
            #expect(result[name]?.result == .passed, "\(name): \(result[name]?.detail ?? "")")
        }
        #expect(result[.firmware]?.result == .notChecked)
        #expect(result[.nicLinks]?.detail == "2x 10Gbps up at speed")
        #expect(result[.eventLog]?.detail.contains("2 entries read") == true)
    }

    @Test("each fault fails its check, naming what is wrong")
    func faultsFail() {
        var facts = healthy
        facts.secureBoot?.enabled = true
        facts.sensors[0].reading = 97
        facts.logEntries.append(
            .init(
                log: "SEL", id: "3", severity: "Critical", created: start.addingTimeInterval(120),
                message: "Uncorrectable ECC"))
        facts.links[1].linkUp = false
        facts.drives[0].health = "Critical"
        let result = checks(facts, bootMode: "Legacy", ipmi: .failed("IPMI at 10.0.0.5 did not answer: timeout"))
        #expect(result[.bootMode]?.result == .failed)
        #expect(result[.bootMode]?.detail == "BootMode is Legacy, s2.c2.small wants UEFI")
        #expect(result[.secureBoot]?.detail.hasPrefix("Secure Boot is enabled, s2.c2.small wants it disabled") == true)
        #expect(result[.bmcIPMI]?.result == .failed)
        #expect(result[.sensors]?.detail == "CPU1 Temp 97 Cel at or above its critical 95")
        #expect(result[.eventLog]?.result == .failed)
        #expect(result[.eventLog]?.detail.contains("SEL #3: Uncorrectable ECC") == true)
        #expect(result[.eventLog]?.detail.contains("PSU lost input") == false)
        #expect(result[.nicLinks]?.detail.hasPrefix("2x 10Gbps wanted up, 1 up at that speed (2 down") == true)
        #expect(result[.drives]?.detail == "nvme0n1 health Critical")
        let report = BoardingReport(
            serverID: "n1", deviceType: type.name, checks: Array(result.values), since: start, checkedAt: start)
        #expect(!report.passed)
        #expect(report.failed.count == 7)
    }

    @Test("a slow link, a missing drive and a caution reading")
    func partialHardware() {
        var facts = healthy
        facts.links[0].speedMbps = 1000
        facts.drives = [.init(name: "sda", capacityBytes: 480_103_981_056, kind: "SSD", health: "OK", path: "/d")]
        facts.sensors[0].reading = 88
        let result = checks(facts)
        #expect(result[.nicLinks]?.result == .failed)
        #expect(result[.nicLinks]?.detail.contains("1 at 1000 Mb/s") == true)
        #expect(result[.drives]?.detail == "1x 1TB NVMe wanted, 0 found")
        #expect(result[.sensors]?.result == .passed)
        #expect(result[.sensors]?.detail.contains("caution: CPU1 Temp 88 Cel above its caution 85") == true)
    }

    @Test("nothing to read is not checked, never passed; sensors that could not be read fail")
    func notChecked() {
        var facts = BoardingFacts()
        var result = checks(facts)
        #expect(result[.sensors]?.result == .notChecked)
        #expect(result[.eventLog]?.result == .notChecked)
        #expect(result[.nicLinks]?.result == .notChecked)
        #expect(result[.bmcIPMI]?.result == .notChecked)
        facts.unread = ["/redfish/v1/Chassis/1/Sensors: 500 Internal Server Error"]
        result = checks(facts)
        #expect(result[.sensors]?.result == .failed)
        #expect(result[.sensors]?.detail.contains("500 Internal Server Error") == true)
    }

    @Test("firmware behind the policy fails naming the versions")
    func firmwareBehind() throws {
        let image = FirmwareImage(
            file: "supermicro/bmc/x.img", vendor: "supermicro", component: .bmc, version: "1.74.06", priority: .high,
            security: true, sha256: String(repeating: "0", count: 64), size: 1)
        let plan = try FirmwarePlanner(catalog: Self.catalog, images: [image]).plan(
            server: "n1", target: FirmwareTarget(vendor: "supermicro", deviceType: type.name, board: nil, model: nil),
            inventory: FirmwareInventory.from(biosVersion: nil, bmcVersion: "1.73.14", source: "test"),
            policyName: "latest", approve: true)
        let check = try #require(
            BoardingValidator(type: type, since: nil).checks(
                facts: healthy, bios: .failure(.init(why: "not read")), redfish: "answered", ipmi: .notConfigured,
                firmware: .plan(plan)
            ).last)
        #expect(check.name == .firmware)
        #expect(check.result == .failed)
        #expect(check.detail == "bmc 1.73.14 < 1.74.06 (policy latest)")
    }
}

import Foundation
import Testing

@testable import Catalog

@Suite("Legacy config directory")
struct LegacyCatalogTests {
    @Test("loads unchanged: 44 unified, 87 legacy, their union with legacy-only types marked")
    func counts() throws {
        let loaded = try Fixtures.legacy()
        #expect(loaded.kind == .legacy)
        let counts = try #require(loaded.legacyCounts)
        #expect(counts.unifiedTypes == 44)
        #expect(counts.legacyTypes == 87)
        #expect(counts.inBoth == 21)
        let catalog = loaded.catalog
        #expect(catalog.deviceTypes.count == 44 + 87 - 21)
        #expect(catalog.deviceTypes.values.filter { $0.origin == .legacy }.count == 87 - 21)
        #expect(catalog.deviceType(named: "d1.c1.large")?.origin == .legacy)
        #expect(catalog.deviceType(named: "s2.c2.small")?.origin == .unified)
        #expect(Set(catalog.vendors.keys) == ["supermicro", "hpe", "dell"])
        #expect(catalog.deviceTypes.values.filter { $0.vendor == "hpe" }.count == 17)
    }

    @Test("the unified file wins; the legacy file fills what it leaves out")
    func mergeRule() throws {
        let catalog = try Fixtures.legacy().catalog
        let small = try #require(catalog.deviceType(named: "s2.c2.small"))
        // Unified puts s2.c2.small on X12STW-TF; the legacy mappings say X12STE-F / X12SCE-F.
        #expect(small.boards == ["X12STW-TF"])
        // security_configs only exist in the legacy file.
        #expect(small.security["sgx_enabled"] == .bool(true))
        // Unified boot mode wins.
        #expect(small.boot["boot_mode"] == .string("uefi"))
    }

    @Test("hardware specs become structured: sockets from 'Dual', cores total, drives and NICs")
    func structuredSpecs() throws {
        let catalog = try Fixtures.legacy().catalog
        let flex = try #require(catalog.deviceType(named: "flex-6258R.c.small"))
        #expect(flex.hardware.cpu.sockets == 2)
        #expect(flex.hardware.cpu.model == "Xeon Silver 4210R")
        #expect(flex.hardware.cpu.cores == 20)
        #expect(flex.hardware.cpu.frequencyGHz == nil)
        #expect(flex.boards == ["X11DPT-B"])
        let ipm = try #require(catalog.deviceType(named: "d2.ipm2.large"))
        #expect(
            ipm.hardware.storage == [
                DriveGroup(count: 2, sizeGB: 4000, kind: .nvme),
                DriveGroup(count: 1, sizeGB: 2048, kind: .persistentMemory),
            ])
        let s5 = try #require(catalog.deviceType(named: "d3.s5.xlarge"))
        #expect(
            s5.hardware.storage == [
                DriveGroup(count: 6, sizeGB: 15360, kind: .nvme),
                DriveGroup(count: 1, sizeGB: 1000, kind: .nvme, role: "boot drive"),
            ])
        #expect(s5.hardware.network == [NICGroup(count: 2, speedGbps: 25)])
        let pliops = try #require(catalog.deviceType(named: "d2.c4.storage.pliops1"))
        #expect(pliops.hardware.storage == nil)
        #expect(pliops.hardware.network == nil)
    }

    @Test("keys with stray spaces are normalised with a warning")
    func whitespaceKeys() throws {
        let loaded = try Fixtures.legacy()
        #expect(loaded.catalog.deviceType(named: "d3.m4.xlarge") != nil)
        #expect(loaded.catalog.deviceTypes["d3.m4.xlarge "] == nil)
        let warnings = loaded.diagnostics.filter { $0.code == "key-whitespace" }
        #expect(warnings.count == 6)
        #expect(
            warnings.allSatisfy { $0.severity == .warning && $0.location.file.hasSuffix("bios/device_mappings.yaml") })
        #expect(warnings.contains { $0.location.line == 1353 && $0.message.contains("'d3.m4.xlarge '") })
    }

    @Test("template rules attach to s2.c2.{small,medium,large} through underscore names")
    func templateRules() throws {
        let catalog = try Fixtures.legacy().catalog
        let withRules = catalog.deviceTypes.values.filter { $0.bios.rules != nil }.map(\.name).sorted()
        #expect(withRules == ["s2.c2.large", "s2.c2.medium", "s2.c2.small"])
        let large = try #require(catalog.deviceType(named: "s2_c2_large")?.bios.rules)
        #expect(large.modifications["BootTimeout"] == "3")
        #expect(large.modifications["AVX512"] == "Enabled")
    }

    @Test("90 templates indexed and every one parses, in both formats")
    func templates() throws {
        let catalog = try Fixtures.legacy().catalog
        #expect(catalog.templates.count == 90)
        var formats: [BIOSTemplate.Format: Int] = [:]
        for entry in catalog.templates {
            let template = try entry.load()
            formats[template.format, default: 0] += 1
            #expect(!template.settings.isEmpty, "\(entry.name) has no settings")
        }
        #expect(formats[.sumBiosCfg] == 87)
        #expect(formats[.biosConfig] == 3)
        #expect(catalog.templates(for: "s2.c2.large").map(\.name).sorted() == ["s2.c2.large.xml", "s2_c2_large.xml"])
    }

    @Test("preserve list and firmware repository: 3 vendors, 4 policies")
    func preserveAndFirmware() throws {
        let catalog = try Fixtures.legacy().catalog
        #expect(catalog.preserve.patterns.count == 40)
        #expect(catalog.preserve.preserves("mac_address_lan9"))
        #expect(catalog.preserve.preserves("DIMM_A1_SIZE"))
        #expect(!catalog.preserve.preserves("boot_mode"))
        #expect(catalog.vendors.values.filter { !$0.firmware.isEmpty }.count == 3)
        #expect(catalog.vendors["dell"]?.tools["racadm"]?.path == "/opt/dell/srvadmin/bin/idracadm7")
        #expect(Set(catalog.firmware.policies.keys) == ["manual", "recommended", "latest", "security_only"])
        #expect(catalog.firmware.policies["security_only"]?.includePriorities == ["critical"])
        #expect(catalog.firmware.deviceMapping["a1.c5.large"]?.bmcFamily == "iLO5")
        #expect(catalog.firmware.versionExamples.contains { $0.current == "U34 2.65" && $0.latest == "U34 2.71" })
        #expect(catalog.settings.firmware.maxRetryAttempts == 3)
        #expect(catalog.settings.defaultBIOSMethod == .hybrid)
    }

    @Test("BIOS routing from all three legacy shapes")
    func routing() throws {
        let catalog = try Fixtures.legacy().catalog
        let large = try #require(catalog.deviceType(named: "a1.c5.large"))
        #expect(large.bios.routing["BootMode"]?.route == .redfishPreferred)
        #expect(large.bios.routing["MemoryMode"]?.route == .redfishFallback)
        #expect(large.bios.routing["CPUMicrocodeUpdate"]?.route == .vendorOnly)
        #expect(large.bios.fallbackMethod == .vendorTool)
        #expect(large.bios.performance?.redfishBatchSize == 10)
        let xlarge = try #require(catalog.deviceType(named: "a1.c5.xlarge"))
        #expect(xlarge.bios.preferredMethod == .redfish)
        #expect(xlarge.bios.routing["WakeOnLAN"]?.route == .redfishPreferred)
        #expect(xlarge.bios.routing["PCIeAdvancedConfig"]?.route == .vendorOnly)
    }

    @Test("validate names the identical-spec pair and exits clean (warnings only)")
    func validation() throws {
        let loaded = try Fixtures.legacy()
        let diagnostics = CatalogValidation.diagnostics(of: loaded)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        let identical = diagnostics.filter { $0.code == "identical-specs" }
        #expect(
            identical.contains {
                $0.message.contains("flex-6258R.c.medium") && $0.message.contains("flex-6258R.c.large")
            })
        #expect(identical.allSatisfy { $0.severity == .warning && $0.location.line != nil })
        #expect(diagnostics.contains { $0.code == "board-mismatch" && $0.message.contains("s2.c2.small") })
    }
}

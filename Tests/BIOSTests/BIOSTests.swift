import Catalog
import Foundation
import Inventory
import Lab
import Logging
import Redfish
import TestSupport
import Testing

@testable import BIOS

@Suite("BIOS desired state and plan")
struct DesiredStateTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog

    @Test("rules over configs over templates, each value with its source")
    func precedence() throws {
        let type = try #require(Self.catalog.deviceType(named: "s2.c2.small"))
        let desired = try DesiredBIOSState(type: type, catalog: Self.catalog)
        #expect(desired.settings["BootTimeout"] == .init(value: "5", source: "rules"))
        #expect(desired.settings["BootMode"]?.value == "UEFI")
        #expect(desired.settings["BootMode"]?.source == "rules")
        // sgx_enabled comes from the legacy security configs; no rule sets SGX.
        #expect(desired.settings["SGX"] == .init(value: "Enabled", source: "config security.sgx_enabled"))
        #expect(desired.settings["TDX"]?.value == "Disabled")
        // With no security configs, the SUM template's TDX setting stands; with them, the config wins.
        var medium = try #require(Self.catalog.deviceType(named: "s5.x6.c9.medium"))
        #expect(
            try DesiredBIOSState(type: medium, catalog: Self.catalog).settings["TDX"]?.source
                == "config security.tdx_enabled")
        medium.security = [:]
        let fromTemplate = try DesiredBIOSState(type: medium, catalog: Self.catalog)
        #expect(fromTemplate.settings["TDX"]?.value == "Enabled")
        #expect(fromTemplate.settings["TDX"]?.source == "template s5.x6.c9.medium.xml")
        #expect(fromTemplate.settings["TDX"]?.template?.name == "Intel Trust Domain Extensions (TDX)")
    }

    @Test("the preserve list removes what it protects")
    func preserve() throws {
        var catalog = Self.catalog
        catalog.preserve = PreserveList(patterns: ["boot_*"])
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        let desired = try DesiredBIOSState(type: type, catalog: catalog)
        #expect(desired.settings["BootMode"] == nil && desired.settings["BootTimeout"] == nil)
        #expect(desired.preserved["BootMode"] == "boot_*")
        #expect(desired.settings["TurboMode"] != nil)
    }

    @Test("plan: change, already set, pending, unsupported, invalid (not allowed, read-only), routed by method")
    func plan() throws {
        let type = try #require(Self.catalog.deviceType(named: "s2.c2.small"))
        var desired = try DesiredBIOSState(type: type, catalog: Self.catalog)
        desired.settings["SystemMemorySize"] = .init(value: "1 TB", source: "test")
        desired.settings["MemoryMode"] = .init(value: "Lockstep", source: "test")
        let current: [String: JSONValue] = [
            "BootMode": .string("Legacy"), "BootTimeout": .number(5), "TurboMode": .string("Disabled"),
            "QuietBoot": .string("Enabled"), "MemoryMode": .string("Independent"), "SystemMemorySize": .string("64 GB"),
        ]
        let registry: [String: RegistryAttribute] = [
            "BootMode": .init(type: "Enumeration", allowed: ["UEFI", "Legacy"], readOnly: false),
            "BootTimeout": .init(type: "Integer", allowed: [], readOnly: false, lower: 0, upper: 60),
            "TurboMode": .init(type: "Enumeration", allowed: ["Enabled", "Disabled"], readOnly: false),
            "QuietBoot": .init(type: "Enumeration", allowed: ["Enabled", "Disabled"], readOnly: false),
            "MemoryMode": .init(type: "Enumeration", allowed: ["Independent", "Mirroring"], readOnly: false),
            "SystemMemorySize": .init(type: "String", allowed: [], readOnly: true),
        ]
        let plan = BIOSPlanner.plan(
            desired: desired, type: type, catalog: Self.catalog, bmc: "bmc", current: current,
            pending: ["QuietBoot": .string("Disabled")], registry: registry)
        func item(_ name: String) -> BIOSPlan.Item? { plan.items.first { $0.setting == name } }
        #expect(item("BootMode")?.status == .change)
        #expect(item("BootMode")?.route == .redfish)
        #expect(item("BootTimeout")?.status == .alreadySet)
        #expect(item("QuietBoot")?.status == .pending)
        // s2.c2.small is hybrid (the catalog's default): what Redfish lacks goes to SUM in the same apply.
        #expect(item("SGX")?.fate == .vendorTool(tool: "sum", route: .redfishLacksIt))
        #expect(item("MemoryMode")?.status == .invalid)
        #expect(item("MemoryMode")?.reason?.contains("allowed: Independent, Mirroring") == true)
        #expect(item("SystemMemorySize")?.fate == .readOnly(reason: "read-only on this BMC"))
        #expect(plan.redfishChanges == ["BootMode": .string("UEFI"), "TurboMode": .string("Enabled")])
    }
}

/// Apply, verify and restore against the lab BMC (pending until reset, sessions, ETags, registry).
@Suite("BIOS apply against the lab")
struct LabApplyTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog

    @Test("≤ 6 requests, one reset, one session; a second apply sends nothing; restore puts the values back")
    func applyVerifyRestore() async throws {
        let type = try #require(Self.catalog.deviceType(named: "s2.c2.small"))
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], settings: settings, clock: ManualLabClock())
        let backups = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-bios-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: backups) }
        try await lab.withServer { port in
            let endpoint = RedfishEndpoint(
                baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password")
            let client = try RedfishClient(endpoint: endpoint, logger: Logger(label: "bios"))
            let bios = RedfishBIOS(client: client, logger: Logger(label: "bios"))
            try await bios.discover()
            let desired = try DesiredBIOSState(type: type, catalog: Self.catalog)
            let plan = try await bios.plan(desired, type: type, catalog: Self.catalog)
            #expect(plan.redfishChanges["Bootmodeselect"] == .string("UEFI"))
            let report = try await bios.apply(plan, backupTo: FileBackupSink(directory: backups), firstPoll: .zero)
            #expect(report.patched && report.reset)
            #expect(report.verified.values.allSatisfy { $0 }, "\(report.verified)")
            #expect(report.requests <= 6, "apply sent \(report.requests) requests")
            #expect(lab.nodes[0].withState { $0.counters.resets } == 1)
            #expect(lab.nodes[0].withState { $0.attribute("Bootmodeselect") } == .string("UEFI"))
            // The reset made what the plan read stale: that plan is refused, and nothing is sent.
            await #expect {
                try await bios.apply(plan, backupTo: FileBackupSink(directory: backups), firstPoll: .zero)
            } throws: { error in
                "\(error)".contains("nothing read to apply against: plan (or restorePlan) first")
            }
            #expect(lab.nodes[0].withState { $0.counters.patches } == 1)
            #expect(lab.nodes[0].withState { $0.counters.resets } == 1)
            let second = try await bios.apply(
                try await bios.plan(desired, type: type, catalog: Self.catalog),
                backupTo: FileBackupSink(directory: backups))
            #expect(!second.patched && !second.reset)
            #expect(lab.nodes[0].withState { $0.counters.resets } == 1)
            #expect(lab.nodes[0].withState { $0.counters.patches } == 1)
            let backup = try BIOSBackup.load(try #require(report.backup))
            let attributes = try FileManager.default.attributesOfItem(atPath: report.backup!)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let restored = try await bios.apply(
                try await bios.restorePlan(backup), backupTo: FileBackupSink(directory: backups), firstPoll: .zero)
            #expect(restored.succeeded)
            #expect(lab.nodes[0].withState { $0.attribute("Bootmodeselect") } == .string("Legacy"))
            await client.close()
            #expect(lab.nodes[0].withState { $0.counters.sessionsCreated } == 1)
            #expect(lab.nodes[0].withState { $0.counters.sessionsDeleted } == 1)
        }
    }

    /// Runs `body` with one lab BMC of `s2.c2.small` and a BIOS session on it; closes the client after.
    func withLabBIOS(
        _ body: @escaping @Sendable (DeviceType, Lab, RedfishBIOS) async throws -> Void
    ) async throws {
        let type = try #require(Self.catalog.deviceType(named: "s2.c2.small"))
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], clock: ManualLabClock())
        try await lab.withServer { port in
            let client = try RedfishClient(
                endpoint: RedfishEndpoint(
                    baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password"),
                logger: Logger(label: "bios"))
            do {
                try await body(type, lab, RedfishBIOS(client: client, logger: Logger(label: "bios")))
            } catch {
                await client.close()
                throw error
            }
            await client.close()
        }
    }

    @Test("a value the registry does not allow is not sent; the apply names it with the allowed values and fails")
    func invalidRefused() async throws {
        try await withLabBIOS { type, lab, bios in
            var desired = try DesiredBIOSState(type: type, catalog: Self.catalog)
            desired.settings = ["MemoryMode": .init(value: "Lockstep", source: "test")]
            desired.preserved = [:]
            let plan = try await bios.plan(desired, type: type, catalog: Self.catalog)
            let report = try await bios.apply(
                plan, backupTo: FileBackupSink(directory: FileManager.default.temporaryDirectory))
            #expect(!report.succeeded)
            let exception = try #require(report.notApplied.first { $0.setting == "MemoryMode" })
            #expect(exception.fate == "invalid")
            #expect(exception.reason.contains("allowed: Independent, Mirroring, Sparing"))
            #expect(lab.nodes[0].withState { $0.counters.patches } == 0)
        }
    }

    @Test("dry run: the plan, no PATCH, no reset")
    func dryRun() async throws {
        try await withLabBIOS { type, lab, bios in
            let plan = try await bios.plan(
                try DesiredBIOSState(type: type, catalog: Self.catalog), type: type, catalog: Self.catalog)
            let report = try await bios.apply(
                plan, backupTo: FileBackupSink(directory: FileManager.default.temporaryDirectory), dryRun: true)
            #expect(!report.patched && !report.reset && report.backup == nil)
            #expect(lab.nodes[0].withState { $0.counters.patches } == 0)
        }
    }
}

/// Apply, verify and restore against sushy-tools' libvirt BMC (no pending stage: it applies at once).
@Suite("BIOS apply against sushy-tools")
struct SushyApplyTests {
    @Test(
        "plan shows the diff, apply changes and verifies, a second apply does nothing, restore returns the values",
        .enabled(if: Peer.redfishTLS.enabled))
    func sushy() async throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        let endpoint = RedfishEndpoint(
            baseURL: URL(string: try Peer.value("HWA_TEST_REDFISH_TLS_URL"))!,
            username: try Peer.value("HWA_TEST_REDFISH_USER"),
            password: try Peer.secret("HWA_TEST_REDFISH_PASSWORD_FILE"),
            tls: .trustRoots(pemFile: try Peer.value("HWA_TEST_REDFISH_CA")))
        let client = try RedfishClient(endpoint: endpoint, logger: Logger(label: "bios"))
        let bios = RedfishBIOS(client: client, logger: Logger(label: "bios"))
        try await bios.discover(system: "11111111-2222-3333-4444-555555555502")
        // The named system is read at /redfish/v1/Systems/{id}, as sushy-tools serves it: no collection read first.
        let read = await client.counters.byPath.keys
        // Asked for expanded; sushy-tools answers the plain system (it ignores the query), so its Bios is read.
        #expect(
            read.contains("GET /redfish/v1/Systems/11111111-2222-3333-4444-555555555502?$expand=.($levels=1)"),
            "\(read.sorted())")
        #expect(read.contains("GET /redfish/v1/Systems/11111111-2222-3333-4444-555555555502/BIOS"), "\(read.sorted())")
        #expect(!read.contains { $0.hasPrefix("GET /redfish/v1/Systems?") || $0 == "GET /redfish/v1/Systems" })
        let desired = try DesiredBIOSState(type: type, catalog: catalog)
        let plan = try await bios.plan(desired, type: type, catalog: catalog)
        // sushy names BootMode and ProcTurboMode; "Uefi" is our UEFI.
        #expect(plan.items.first { $0.setting == "BootMode" }?.status == .alreadySet)
        #expect(plan.items.first { $0.setting == "QuietBoot" }?.status == .change)
        #expect(plan.items.first { $0.setting == "SGX" }?.status == .vendorTool)
        let backups = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-bios-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: backups) }
        let report = try await bios.apply(plan, backupTo: FileBackupSink(directory: backups), firstPoll: .zero)
        // Every change verifies, but s2.c2.small needs settings sushy-tools lacks (SGX, ...): not a success.
        #expect(report.verified.values.allSatisfy { $0 }, "\(report.verified)")
        #expect(!report.succeeded && report.notApplied.contains { $0.setting == "SGX" && $0.fate == "vendor_tool" })
        let again = try await bios.apply(
            try await bios.plan(desired, type: type, catalog: catalog), backupTo: FileBackupSink(directory: backups))
        #expect(!again.patched && !again.reset)
        let restored = try await bios.apply(
            try await bios.restorePlan(try BIOSBackup.load(try #require(report.backup))),
            backupTo: FileBackupSink(directory: backups),
            firstPoll: .zero)
        #expect(restored.succeeded)
        await client.close()
    }
}

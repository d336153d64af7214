import Catalog
import Foundation
import Inventory
import Lab
import Logging
import Redfish
import Synchronization
import TestSupport
import Testing

@testable import BIOS
@testable import VendorTools

/// A vendor tool that notes how many resets the lab BMC had seen each time it was asked to apply changes.
final class ResetRecordingTool: VendorBIOSTool {
    let wrapped: any VendorBIOSTool
    let resets: @Sendable () -> Int
    let resetsAtApply = Mutex<[Int]>([])

    init(_ wrapped: any VendorBIOSTool, resets: @escaping @Sendable () -> Int) {
        self.wrapped = wrapped
        self.resets = resets
    }

    var kind: VendorToolKind { wrapped.kind }
    var host: String { wrapped.host }

    func currentSettings(keys: [String]) async throws(VendorToolError) -> [String: String] {
        try await wrapped.currentSettings(keys: keys)
    }

    func apply(_ changes: [VendorBIOSChange]) async throws(VendorToolError) {
        let count = resets()
        resetsAtApply.withLock { $0.append(count) }
        try await wrapped.apply(changes)
    }
}

/// `RedfishBIOS.apply` with vendor-tool changes: the tool stages them before the one reset, Redfish PATCHes the rest.
@Suite("BIOS apply with a vendor tool")
struct VendorApplyTests {
    @Test("vendor-only settings go through SUM before the one reset, the rest in one PATCH; all read back")
    func applyThroughSUM() async throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], settings: settings, clock: ManualLabClock())
        let backups = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-bios-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: backups) }
        let standIn = try StandInTool(name: "sum", body: StandInScripts.sum)
        defer { standIn.remove() }
        try await lab.withServer { port in
            let client = try RedfishClient(
                endpoint: RedfishEndpoint(
                    baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password"),
                logger: Logger(label: "bios"))
            let bios = RedfishBIOS(client: client, logger: Logger(label: "bios"))
            let desired = try DesiredBIOSState(type: type, catalog: catalog)
            // Route every changing setting that has a SUM path, except BootMode, to the vendor tool.
            let first = try await bios.plan(desired, type: type, catalog: catalog)
            let viaTool = first.items.filter {
                $0.status == .change && $0.setting != "BootMode"
                    && catalog.biosAttributes.attributes[$0.setting]?.sum != nil
            }
            try #require(!viaTool.isEmpty)
            var routed = type
            for item in viaTool { routed.bios.routing[item.setting] = RoutedSetting(route: .vendorOnly) }
            let plan = try await bios.plan(desired, type: routed, catalog: catalog)
            // The tool also gets what the lab's Redfish lacks (the type is hybrid): redfish_lacks_it.
            let lacking = plan.vendorToolChanges.filter { item in !viaTool.contains { $0.setting == item.setting } }
            #expect(lacking.allSatisfy { $0.fate == .vendorTool(tool: "sum", route: .redfishLacksIt) })
            #expect(plan.vendorToolChanges.count == viaTool.count + lacking.count)
            #expect(plan.redfishChanges["Bootmodeselect"] == .string("UEFI"))
            // The SUM side of the same server: the routed settings at their current values in a menu, and the ones
            // Redfish lacks where the template (or the attribute map) puts them.
            var state = try viaTool.map { item in
                let name = try #require(
                    catalog.biosAttributes.attributes[item.setting]?.sum?.split(separator: "/").last)
                return (path: ["Advanced", "Boot Feature"], name: String(name), value: item.current?.string ?? "")
            }
            let lackingChanges = VendorBIOSApplier(
                tool: SUMTool(
                    executable: "sum", host: "127.0.0.1", user: "ADMIN", password: "-", runner: StandInTool.runner,
                    logger: Logger(label: "sum")),
                map: catalog.biosAttributes
            ).batch(for: lacking).changes
            state += HybridRoutingTests.placed(lackingChanges, lacking).map { ($0.path, $0.name, "Unset") }
            try standIn.writeSUMState(menus: state)
            let tool = ResetRecordingTool(
                SUMTool(
                    executable: standIn.executable.path, host: "127.0.0.1", user: "ADMIN", password: standIn.password,
                    runner: StandInTool.runner, logger: Logger(label: "sum")),
                resets: { lab.nodes[0].withState { $0.counters.resets } })
            let applier = VendorBIOSApplier(tool: tool, map: catalog.biosAttributes)

            let dry = try await bios.apply(
                plan, backupTo: FileBackupSink(directory: backups), dryRun: true, vendorTool: applier)
            #expect(dry.wouldSend.first?.hasPrefix("sum on 127.0.0.1: ") == true)
            #expect(dry.wouldSend.filter { $0.contains("ComputerSystem.Reset") }.count == 1)
            #expect(dry.wouldSend.last == "sum on 127.0.0.1: read the settings back")
            #expect(try standIn.calls().isEmpty, "a dry run runs no tool")

            let report = try await bios.apply(
                plan, backupTo: FileBackupSink(directory: backups), firstPoll: .zero, vendorTool: applier)
            #expect(report.patched && report.reset)
            // Left undone: only what the lab's registry lacks (the plan's exceptions), none of the tool's changes.
            #expect(report.notApplied.map(\.setting) == plan.exceptions.map(\.setting))
            #expect(!report.notApplied.contains { item in viaTool.contains { $0.setting == item.setting } })
            #expect(report.vendorTool == "sum on 127.0.0.1")
            for item in viaTool { #expect(report.verified[item.setting] == true, "\(item.setting)") }
            #expect(report.verified["Bootmodeselect"] == true)
            #expect(report.verified.values.allSatisfy { $0 }, "\(report.verified)")
            #expect(tool.resetsAtApply.withLock { $0 } == [0], "the tool ran once, before the reset")
            #expect(lab.nodes[0].withState { $0.counters.resets } == 1)
            #expect(lab.nodes[0].withState { $0.counters.patches } == 1)
            for item in viaTool {
                // Not in the PATCH: the Redfish side still has the old value.
                #expect(lab.nodes[0].withState { $0.attribute(item.attribute!) } == item.current)
            }
            let change = try #require(try standIn.calls().first { $0.arguments.contains("ChangeBiosCfg") })
            let sent = try BIOSTemplateXML.parse(
                Data(try #require(change.saved("change.xml")).utf8), name: "c", displayPath: "c"
            ).get()
            #expect(sent.settings.count == viaTool.count + lacking.count)
            for item in viaTool {
                let name = String(catalog.biosAttributes.attributes[item.setting]!.sum!.split(separator: "/").last!)
                #expect(
                    sent.settings.contains {
                        $0.name == name && $0.value == item.desired?.string && $0.path == ["Advanced", "Boot Feature"]
                    }, "\(name)")
            }
            await client.close()
        }
    }
}

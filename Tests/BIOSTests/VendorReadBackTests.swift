import Catalog
import Foundation
import Logging
import Redfish
import TestSupport
import Testing

@testable import BIOS
@testable import VendorTools

/// Reading back what a vendor tool already has before running it again (after an interrupted apply): its current
/// values, and the values it shows pending the next reset.
@Suite("Vendor tool read-back")
struct VendorReadBackTests {
    /// Hyper-threading, VT and the boot mode as plan items routed to the tool, each wanting a change.
    static let items = [
        BIOSPlan.Item(
            setting: "IntelHyperThreadingTech", attribute: "LogicalProc", current: .string("Disabled"),
            desired: .string("Enabled"), fate: .vendorTool(tool: "test", route: .vendorOnly), source: "test"),
        BIOSPlan.Item(
            setting: "IntelVT", attribute: "ProcVirtualization", current: .string("Disabled"),
            desired: .string("Enabled"), fate: .vendorTool(tool: "test", route: .vendorOnly), source: "test"),
        BIOSPlan.Item(
            setting: "BootMode", attribute: "BootMode", current: .string("Bios"), desired: .string("Uefi"),
            fate: .vendorTool(tool: "test", route: .vendorOnly), source: "test"),
    ]

    @Test("racadm: a value pending the reset and a current one count as staged; the rest is set, and only that")
    func racadmPendingAndCurrent() async throws {
        let standIn = try StandInTool(name: "racadm", body: StandInScripts.racadm)
        defer { standIn.remove() }
        try standIn.write(
            "state",
            """
            BIOS.ProcSettings.LogicalProc=Disabled
            BIOS.ProcSettings.ProcVirtualization=Enabled
            BIOS.BiosBootSettings.BootMode=Bios

            """)
        // An earlier attempt set hyper-threading; its job waits for the reset.
        try standIn.write("pending", "BIOS.ProcSettings.LogicalProc=Enabled\n")
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let tool = RacadmTool(
            executable: standIn.executable.path, host: "10.40.0.9", user: "root", password: standIn.password,
            runner: StandInTool.runner, logger: Logger(label: "racadm"))
        var applier = VendorBIOSApplier(tool: tool, map: catalog.biosAttributes)
        let changes = applier.batch(for: Self.items).changes
        let found = try await applier.readBack(changes)
        #expect(found == ["IntelHyperThreadingTech": .pending, "IntelVT": .current])
        applier.staged = Set(found.keys)
        let before = try standIn.calls().count
        try await applier.apply(changes)
        let sets = try standIn.calls().dropFirst(before).map { Array($0.arguments.dropFirst(4)) }
        #expect(
            sets == [["set", "BIOS.BiosBootSettings.BootMode", "Uefi"], ["jobqueue", "create", "BIOS.Setup.1-1"]])
    }

    @Test("racadm get output with pending: only the staged changes, with their pending values")
    func parsePending() {
        let pairs = RacadmTool.parseGet(
            """
            [Key=BIOS.Setup.1-1#ProcSettings]
            LogicalProc=Enabled (Pending Value=Disabled)
            #ProcCores=All
            ProcVirtualization=Enabled

            """, pending: true)
        #expect(pairs.map(\.0) == ["LogicalProc"] && pairs.map(\.1) == ["Disabled"])
    }

    @Test("iLOrest get --json with the pending resource after the current one: the pending attributes")
    func ilorestPending() throws {
        let standIn = try StandInTool(name: "ilorest", body: StandInScripts.ilorest)
        defer { standIn.remove() }
        let tool = ILORestTool(
            executable: standIn.executable.path, host: "10.40.0.9", user: "admin", password: standIn.password,
            runner: StandInTool.runner, logger: Logger(label: "ilorest"))
        let output = """
            [
              {"@odata.id": "/redfish/v1/systems/1/bios/", "Attributes": {"ProcHyperthreading": "Disabled"}},
              {"@odata.id": "/redfish/v1/systems/1/bios/settings/", "Attributes": {"ProcHyperthreading": "Enabled"}}
            ]
            """
        #expect(
            try ILORestTool.attributes(fromJSON: output, process: tool.process, pending: true)
                == ["ProcHyperthreading": "Enabled"])
        #expect(
            try ILORestTool.attributes(fromJSON: output, process: tool.process) == ["ProcHyperthreading": "Disabled"])
        #expect(
            try ILORestTool.attributes(fromJSON: "{\"Attributes\": {}}", process: tool.process, pending: true) == [:])
    }
}

import Catalog
import Foundation
import Logging
import Redfish
import TestSupport
import Testing

@testable import BIOS
@testable import VendorTools

/// Dell racadm through a stand-in that prints `Name=Value` lines and stages changes until a job is created.
@Suite("racadm tool")
struct RacadmToolTests {
    func standIn() throws -> StandInTool {
        let tool = try StandInTool(name: "racadm", body: StandInScripts.racadm)
        try tool.write(
            "state",
            """
            BIOS.ProcSettings.LogicalProc=Disabled
            BIOS.ProcSettings.ProcVirtualization=Enabled
            BIOS.ProcSettings.ProcCores=All
            BIOS.BiosBootSettings.BootMode=Bios
            BIOS.SysProfileSettings.SysProfile=PerfPerWattOptimizedDapc

            """)
        return tool
    }

    func racadm(_ standIn: StandInTool) -> RacadmTool {
        RacadmTool(
            executable: standIn.executable.path, host: "10.40.0.9", user: "root", password: standIn.password,
            runner: StandInTool.runner, logger: Logger(label: "racadm"))
    }

    @Test("read: racadm -r IP -u USER get BIOS.<Group> once per group; the password only on stdin")
    func read() async throws {
        let standIn = try standIn()
        defer { standIn.remove() }
        let settings = try await racadm(standIn).currentSettings(keys: [
            "BIOS.ProcSettings.LogicalProc", "BIOS.BiosBootSettings.BootMode", "BIOS.ProcSettings.ProcVirtualization",
        ])
        let calls = try standIn.calls()
        #expect(
            calls.map(\.arguments) == [
                ["-r", "10.40.0.9", "-u", "root", "get", "BIOS.ProcSettings"],
                ["-r", "10.40.0.9", "-u", "root", "get", "BIOS.BiosBootSettings"],
            ])
        #expect(calls.allSatisfy { $0.input == standIn.password + "\n" })
        #expect(settings["BIOS.ProcSettings.LogicalProc"] == "Disabled")
        #expect(settings["BIOS.ProcSettings.ProcCores"] == "All")
        #expect(settings["BIOS.BiosBootSettings.BootMode"] == "Bios")
        #expect(!settings.keys.contains { $0.hasPrefix("[") })
    }

    @Test("apply: set BIOS.X.Y value per change, then jobqueue create BIOS.Setup.1-1; the values read back")
    func apply() async throws {
        let standIn = try standIn()
        defer { standIn.remove() }
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let applier = VendorBIOSApplier(tool: racadm(standIn), map: catalog.biosAttributes)
        let items = [
            BIOSPlan.Item(
                setting: "IntelHyperThreadingTech", attribute: "LogicalProc", current: .string("Disabled"),
                desired: .string("Enabled"), fate: .vendorTool(tool: "test", route: .vendorOnly), source: "test"),
            BIOSPlan.Item(
                setting: "BootMode", attribute: "BootMode", current: .string("Bios"), desired: .string("Uefi"),
                fate: .vendorTool(tool: "test", route: .vendorOnly), source: "test"),
        ]
        let batch = applier.batch(for: items)
        #expect(
            batch.changes.map(\.key) == ["BIOS.ProcSettings.LogicalProc", "BIOS.BiosBootSettings.BootMode"])
        try await applier.apply(batch.changes)
        let calls = try standIn.calls()
        #expect(
            calls.map(\.arguments) == [
                ["-r", "10.40.0.9", "-u", "root", "set", "BIOS.ProcSettings.LogicalProc", "Enabled"],
                ["-r", "10.40.0.9", "-u", "root", "set", "BIOS.BiosBootSettings.BootMode", "Uefi"],
                ["-r", "10.40.0.9", "-u", "root", "jobqueue", "create", "BIOS.Setup.1-1"],
            ])
        #expect(calls.allSatisfy { $0.input == standIn.password + "\n" })
        #expect(calls.allSatisfy { call in !call.arguments.contains { $0.contains(standIn.password) } })
        #expect(standIn.read("state")?.contains("BIOS.ProcSettings.LogicalProc=Enabled\n") == true)
        let verified = try await applier.verify(batch.changes)
        #expect(verified == ["IntelHyperThreadingTech": true, "BootMode": true])
    }

    @Test("racadm get output: [Key=] headers skipped, read-only # dropped, the current value of a pending change")
    func parseGet() {
        let pairs = RacadmTool.parseGet(
            """
            [Key=BIOS.Setup.1-1#ProcSettings]
            LogicalProc=Enabled (Pending Value=Disabled)
            #ProcCores=All
            ProcVirtualization=Enabled

            """)
        #expect(pairs.map(\.0) == ["LogicalProc", "ProcCores", "ProcVirtualization"])
        #expect(pairs.map(\.1) == ["Enabled", "All", "Enabled"])
        #expect(
            RacadmTool.jobID(in: "RAC1024: Successfully scheduled a job.\nCommit JID = JID_878659984891\n")
                == "JID_878659984891")
    }
}

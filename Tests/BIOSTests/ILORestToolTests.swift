import Catalog
import Foundation
import Logging
import Redfish
import TestSupport
import Testing

@testable import BIOS
@testable import VendorTools

/// HPE iLOrest through a stand-in that keeps a session in its cache folder and prints real-looking JSON.
@Suite("iLOrest tool")
struct ILORestToolTests {
    func standIn() throws -> StandInTool {
        let tool = try StandInTool(name: "ilorest", body: StandInScripts.ilorest)
        try tool.write(
            "state", "BootMode=LegacyBios\nProcHyperthreading=Disabled\nProcTurbo=Enabled\nPowerRegulator=OsControl\n")
        return tool
    }

    func ilorest(_ standIn: StandInTool) -> ILORestTool {
        ILORestTool(
            executable: standIn.executable.path, host: "10.30.0.7", user: "hwa-admin", password: standIn.password,
            runner: StandInTool.runner, logger: Logger(label: "ilorest"))
    }

    /// The global options every call starts with, and the rest.
    func split(_ call: StandInTool.Call) -> (global: [String], command: [String]) {
        (Array(call.arguments.prefix(5)), Array(call.arguments.dropFirst(5)))
    }

    @Test("read: login from a 0600 --config file, get --select Bios. --json, logout; the password in no argument")
    func read() async throws {
        let standIn = try standIn()
        defer { standIn.remove() }
        let settings = try await ilorest(standIn).currentSettings()
        #expect(
            settings == [
                "BootMode": "LegacyBios", "ProcHyperthreading": "Disabled", "ProcTurbo": "Enabled",
                "PowerRegulator": "OsControl",
            ])
        let calls = try standIn.calls()
        #expect(calls.map { split($0).command } == [["login"], ["get", "--select", "Bios.", "--json"], ["logout"]])
        let global = split(calls[0]).global
        #expect(global[0] == "--nologo" && global[1] == "--config" && global[3] == "--cache-dir")
        #expect(calls.allSatisfy { split($0).global == global }, "one configuration and cache for the session")
        #expect(global[2].hasSuffix("/redfish.conf"))
        #expect(!FileManager.default.fileExists(atPath: global[2]), "the configuration is removed after")
        #expect(!FileManager.default.fileExists(atPath: global[4]), "the session cache is removed after")
        #expect(calls[0].saved("config-mode")?.trimmingCharacters(in: .whitespacesAndNewlines) == "600")
        let configuration = try #require(calls[0].saved("config"))
        #expect(configuration.contains("[redfish]\nurl = https://10.30.0.7\nusername = hwa-admin\n"))
        #expect(configuration.contains("password = \(standIn.password)\n"))
        #expect(configuration.contains("[iLOrest]"))
        #expect(calls.allSatisfy { call in !call.arguments.contains { $0.contains(standIn.password) } })
        #expect(calls.allSatisfy { $0.input.isEmpty })
    }

    @Test("apply: set KEY=VALUE --select Bios. per change, then commit, logout; the values read back")
    func apply() async throws {
        let standIn = try standIn()
        defer { standIn.remove() }
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let applier = VendorBIOSApplier(tool: ilorest(standIn), map: catalog.biosAttributes)
        let items = [
            BIOSPlan.Item(
                setting: "IntelHyperThreadingTech", attribute: "ProcHyperthreading", current: .string("Disabled"),
                desired: .string("Enabled"), fate: .vendorTool(tool: "test", route: .vendorOnly), source: "test"),
            BIOSPlan.Item(
                setting: "PowerTechnology", attribute: "PowerRegulator", current: .string("OsControl"),
                desired: .string("StaticHighPerf"), fate: .vendorTool(tool: "test", route: .vendorOnly), source: "test"),
            BIOSPlan.Item(
                setting: "DemandScrub", attribute: "DemandScrub", current: .string("Disabled"),
                desired: .string("Enabled"), fate: .vendorTool(tool: "test", route: .vendorOnly), source: "test"),
        ]
        let batch = applier.batch(for: items)
        #expect(batch.unmapped == ["DemandScrub"], "no ilorest key for it in bios-attributes.yaml")
        try await applier.apply(batch.changes)
        let commands = try standIn.calls().map { split($0).command }
        #expect(
            commands == [
                ["login"], ["set", "ProcHyperthreading=Enabled", "--select", "Bios."],
                ["set", "PowerRegulator=StaticHighPerf", "--select", "Bios."], ["commit"], ["logout"],
            ])
        #expect(standIn.read("state")?.contains("ProcHyperthreading=Enabled\n") == true)
        let verified = try await applier.verify(batch.changes)
        #expect(verified == ["IntelHyperThreadingTech": true, "PowerTechnology": true])
    }

    @Test("a failing set still logs out, and the error carries iLOrest's message")
    func failureLogsOut() async throws {
        let standIn = try standIn()
        defer { standIn.remove() }
        do throws(VendorToolError) {
            try await ilorest(standIn).apply([VendorBIOSChange(setting: "X", key: "NoSuchAttribute", value: "On")])
            Issue.record("an unknown attribute was accepted")
        } catch {
            #expect(error.kind == .failed)
            #expect(error.description.hasPrefix("ilorest on 10.30.0.7: set NoSuchAttribute ended with exit code 44"))
            #expect(error.standardError == "Error: Unable to locate property NoSuchAttribute in the selected type.")
        }
        #expect(try standIn.calls().map { split($0).command.first } == ["login", "set", "logout"])
    }

    @Test("get's JSON: a Bios resource, a list of them, or bare attributes; anything else is a clear error")
    func parseJSON() throws {
        let process = VendorToolProcess(
            kind: .ilorest, executable: "ilorest", host: "h", user: "u", password: "", runner: StandInTool.runner,
            logger: Logger(label: "ilorest-test"), timeout: .seconds(1))
        #expect(
            try ILORestTool.attributes(
                fromJSON: "Discovering...\n{\"Attributes\": {\"A\": \"1\", \"B\": 2}}", process: process)
                == ["A": "1", "B": "2"])
        #expect(
            try ILORestTool.attributes(fromJSON: "[{\"Attributes\": {\"A\": \"x\"}}, {}]", process: process) == [
                "A": "x"
            ])
        #expect(throws: VendorToolError.self) { try ILORestTool.attributes(fromJSON: "No data", process: process) }
    }
}

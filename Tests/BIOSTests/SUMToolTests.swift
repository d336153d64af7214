import Catalog
import Foundation
import Logging
import Redfish
import TestSupport
import Testing

@testable import BIOS
@testable import VendorTools

/// Supermicro SUM through a stand-in that records its calls and writes a real-looking BiosCfg file.
@Suite("SUM tool")
struct SUMToolTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog

    func standIn() throws -> StandInTool {
        let tool = try StandInTool(name: "sum", body: StandInScripts.sum)
        try tool.write("state.xml", StandInScripts.sumConfiguration)
        return tool
    }

    func sum(_ standIn: StandInTool, host: String = "10.20.0.15") -> SUMTool {
        SUMTool(
            executable: standIn.executable.path, host: host, user: "ADMIN", password: standIn.password,
            runner: StandInTool.runner, logger: Logger(label: "sum"))
    }

    @Test("GetCurrentBiosCfg: -i IP -u USER -c GetCurrentBiosCfg --file F; the password only on stdin; the file parsed")
    func read() async throws {
        let standIn = try standIn()
        defer { standIn.remove() }
        let settings = try await sum(standIn).currentSettings()
        let calls = try standIn.calls()
        #expect(calls.count == 1)
        let arguments = try #require(calls.first?.arguments)
        #expect(Array(arguments.prefix(7)) == ["-i", "10.20.0.15", "-u", "ADMIN", "-c", "GetCurrentBiosCfg", "--file"])
        #expect(arguments.count == 8)
        #expect(arguments.last?.hasSuffix("/current-bioscfg.xml") == true)
        #expect(!FileManager.default.fileExists(atPath: arguments[7]), "the private folder is removed after")
        #expect(calls[0].input == standIn.password + "\n")
        #expect(!arguments.contains { $0.contains(standIn.password) })
        #expect(!arguments.contains("-p"))
        #expect(settings["Advanced/Boot Feature/Boot mode select"] == "LEGACY")
        #expect(settings["Advanced/PCIe/PCI/PnP Configuration/PXE Boot"] == "Disabled")
        #expect(settings["Security/Secure Boot"] == "Disabled")
        #expect(settings.count == 7)
    }

    @Test("ChangeBiosCfg gets a 0600 file with only the changes, in the BMC's own menus; they read back after")
    func apply() async throws {
        let standIn = try standIn()
        defer { standIn.remove() }
        let tool = sum(standIn)
        let map = Self.catalog.biosAttributes
        let items = [
            planItem("BootMode", desired: "UEFI"), planItem("PXEBoot", desired: "Enabled"),
            planItem("SecureBoot", desired: "Enabled"),
        ]
        let applier = VendorBIOSApplier(tool: tool, map: map)
        let batch = applier.batch(for: items)
        #expect(batch.unmapped.isEmpty)
        #expect(
            batch.changes == [
                VendorBIOSChange(setting: "BootMode", key: "Advanced/Boot mode select", value: "UEFI"),
                VendorBIOSChange(setting: "PXEBoot", key: "Advanced/PXE Boot", value: "Enabled"),
                VendorBIOSChange(setting: "SecureBoot", key: "Advanced/Secure Boot", value: "Enabled"),
            ])
        try await applier.apply(batch.changes)
        let calls = try standIn.calls()
        #expect(calls.map { $0.arguments[5] } == ["GetCurrentBiosCfg", "ChangeBiosCfg"])
        let change = calls[1]
        #expect(
            Array(change.arguments.prefix(7)) == ["-i", "10.20.0.15", "-u", "ADMIN", "-c", "ChangeBiosCfg", "--file"])
        #expect(change.input == standIn.password + "\n")
        #expect(change.saved("file-mode")?.trimmingCharacters(in: .whitespacesAndNewlines) == "600")
        #expect(change.saved("folder-mode")?.trimmingCharacters(in: .whitespacesAndNewlines) == "700")
        #expect(!FileManager.default.fileExists(atPath: change.arguments[7]))
        let xml = try #require(change.saved("change.xml"))
        #expect(!xml.contains(standIn.password))
        let sent = try BIOSTemplateXML.parse(Data(xml.utf8), name: "change.xml", displayPath: "change.xml").get()
        #expect(sent.format == .sumBiosCfg)
        #expect(
            Set(sent.settings) == [
                BIOSTemplate.Setting(path: ["Advanced", "Boot Feature"], name: "Boot mode select", value: "UEFI"),
                BIOSTemplate.Setting(
                    path: ["Advanced", "PCIe/PCI/PnP Configuration"], name: "PXE Boot", value: "Enabled"),
                BIOSTemplate.Setting(path: ["Security"], name: "Secure Boot", value: "Enabled"),
            ])
        #expect(!xml.contains("Quiet Boot"), "only the changes are sent")
        let verified = try await applier.verify(batch.changes)
        #expect(verified == ["BootMode": true, "PXEBoot": true, "SecureBoot": true])
        #expect(try standIn.calls().allSatisfy { !$0.arguments.contains { $0.contains(standIn.password) } })
    }

    @Test("a setting the BMC's BIOS does not have is refused before ChangeBiosCfg runs")
    func unknownSetting() async throws {
        let standIn = try standIn()
        defer { standIn.remove() }
        await #expect {
            try await sum(standIn).apply([
                VendorBIOSChange(
                    setting: "SGX", key: "Advanced/Intel Software Guard Extensions (SGX)", value: "Enabled")
            ])
        } throws: { error in
            let error = error as? VendorToolError
            return error?.kind == .unknownSetting && error?.description.contains("sum on 10.20.0.15") == true
                && error?.description.contains("Intel Software Guard Extensions (SGX)") == true
        }
        #expect(try standIn.calls().map { $0.arguments[5] } == ["GetCurrentBiosCfg"])
    }

    @Test("a wrong password fails with SUM's message; the password is in no argument and no message")
    func wrongPassword() async throws {
        let standIn = try standIn()
        defer { standIn.remove() }
        let tool = SUMTool(
            executable: standIn.executable.path, host: "10.20.0.15", user: "ADMIN", password: "not-\(standIn.password)",
            runner: StandInTool.runner, logger: Logger(label: "sum"))
        do throws(VendorToolError) {
            _ = try await tool.currentSettings()
            Issue.record("a wrong password was accepted")
        } catch {
            #expect(error.kind == .failed)
            #expect(error.standardError == "ERROR: Authentication failed. The BMC user name or password is incorrect.")
            #expect(error.description.contains("GetCurrentBiosCfg ended with exit code 3"))
            #expect(!error.description.contains(standIn.password))
        }
    }

    @Test("plan from a SUM GetCurrentBiosCfg file: values read by menu path, changes and already-set settings")
    func planFromFile() throws {
        let type = try #require(Self.catalog.deviceType(named: "s2.c2.small"))
        let desired = try DesiredBIOSState(type: type, catalog: Self.catalog)
        let configuration = try BIOSTemplateXML.parse(
            Data(StandInScripts.sumConfiguration.utf8), name: "current.xml", displayPath: "current.xml"
        ).get()
        let plan = BIOSPlanner.plan(
            desired: desired, type: type, catalog: Self.catalog, sumConfiguration: configuration, source: "current.xml")
        func item(_ name: String) -> BIOSPlan.Item? { plan.items.first { $0.setting == name } }
        #expect(plan.bmc == "current.xml")
        #expect(item("BootMode")?.current == .string("LEGACY"))
        #expect(item("BootMode")?.desired == .string("UEFI"))
        #expect(item("BootMode")?.status == .change)
        #expect(item("IntelHyperThreadingTech")?.status == .change)
        #expect(item("QuietBoot")?.status == .change)
        #expect(item("SecureBoot")?.status == .alreadySet)
        #expect(item("DemandScrub")?.status == .unresolved, "no sum path in the attribute map")
    }

    func planItem(_ setting: String, desired: String) -> BIOSPlan.Item {
        BIOSPlan.Item(
            setting: setting, attribute: setting, current: .string("x"), desired: .string(desired),
            fate: .vendorTool(tool: "sum", route: .vendorOnly), source: "test")
    }
}

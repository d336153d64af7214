import Catalog
import Foundation
import Logging
import Redfish
import TestSupport
import Testing

@testable import BIOS
@testable import VendorTools

/// What a person sees when a vendor tool is missing or fails, and where the tool comes from.
@Suite("vendor tool errors and configuration")
struct VendorToolErrorTests {
    static let password = StandInTool.randomPassword()

    func tool(_ kind: VendorToolKind, executable: String, password: String = Self.password) -> any VendorBIOSTool {
        kind.tool(
            executable: executable, host: "10.9.8.7", user: "admin", password: password, runner: StandInTool.runner,
            logger: Logger(label: "tool"), timeout: .seconds(30))
    }

    @Test(
        "a missing executable is notInstalled, naming the tool, the host and the path",
        arguments: VendorToolKind.allCases)
    func missing(kind: VendorToolKind) async throws {
        let path = "/nonexistent/hwa-\(UUID().uuidString)/\(kind.rawValue)"
        do throws(VendorToolError) {
            _ = try await tool(kind, executable: path).currentSettings(keys: ["BIOS.ProcSettings.LogicalProc"])
            Issue.record("a missing tool ran")
        } catch {
            #expect(error.kind == .notInstalled)
            #expect(error.tool == kind.rawValue && error.host == "10.9.8.7")
            #expect(error.description.hasPrefix("\(kind.rawValue) on 10.9.8.7: "))
            #expect(error.description.contains(path))
            #expect(error.description.contains("tools:"), "says where to set the path")
            #expect(!error.description.contains(Self.password))
        }
    }

    @Test(
        "a non-zero exit carries the tool's stderr, trimmed, and never the password", arguments: VendorToolKind.allCases
    )
    func nonZeroExit(kind: VendorToolKind) async throws {
        // This stand-in echoes everything it was given to stderr, the password included, then fails.
        let standIn = try StandInTool(
            name: kind.rawValue,
            body: """
                echo "  Error: BMC 10.9.8.7 did not answer (connection timed out); input was: $(cat "$CALL/stdin")" >&2
                echo >&2
                exit 105
                """, password: Self.password)
        defer { standIn.remove() }
        do throws(VendorToolError) {
            _ = try await tool(kind, executable: standIn.executable.path).currentSettings(keys: [
                "BIOS.ProcSettings.LogicalProc"
            ])
            Issue.record("a failing tool succeeded")
        } catch {
            #expect(error.kind == .failed)
            #expect(error.description.contains("ended with exit code 105"))
            #expect(error.standardError.hasPrefix("Error: BMC 10.9.8.7 did not answer (connection timed out)"))
            #expect(!error.standardError.hasSuffix("\n"))
            #expect(!error.description.contains(Self.password))
            #expect(!"\(error)".contains(Self.password))
        }
        #expect(try standIn.calls().allSatisfy { call in !call.arguments.contains { $0.contains(Self.password) } })
    }

    @Test("the tool and its path come from the catalog: usual tool per vendor, tools: path, bios_tool override")
    func resolve() throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        func resolved(_ id: String) throws -> (kind: VendorToolKind, executable: String)? {
            guard let vendor = catalog.vendors[id] else { return nil }
            return try VendorToolKind.resolve(vendor)
        }
        let supermicro = try #require(try resolved("supermicro"))
        #expect(supermicro.kind == .sum && supermicro.executable == "/opt/supermicro/sumtool/sumtool")
        let hpe = try #require(try resolved("hpe"))
        #expect(hpe.kind == .ilorest && hpe.executable == "/opt/hpe/ilorest/ilorest")
        let dell = try #require(try resolved("dell"))
        #expect(dell.kind == .racadm && dell.executable == "/opt/dell/srvadmin/bin/idracadm7")
        #expect(try VendorToolKind.resolve(Vendor(id: "lenovo")) == nil)
        let bare = try #require(try VendorToolKind.resolve(Vendor(id: "dell")))
        #expect(bare.executable == "racadm", "no tools: entry → the name on PATH")
        let json = #"{"id": "hpe", "bios_tool": "racadm", "tools": {"racadm": {"path": "/usr/local/bin/racadm"}}}"#
        let vendor = try JSONDecoder().decode(Vendor.self, from: Data(json.utf8))
        #expect(vendor.biosTool == "racadm")
        let overridden = try #require(try VendorToolKind.resolve(vendor))
        #expect(overridden.kind == .racadm && overridden.executable == "/usr/local/bin/racadm")
        #expect(throws: VendorToolError.self) { try VendorToolKind.resolve(Vendor(id: "hpe", biosTool: "conrep")) }
    }

    @Test("a password with a line break is refused before any tool runs; Redfish Booleans go as Enabled/Disabled")
    func lineBreakAndBooleans() async throws {
        let standIn = try StandInTool(name: "racadm", body: StandInScripts.racadm)
        defer { standIn.remove() }
        let tool = tool(.racadm, executable: standIn.executable.path, password: "first\nsecond")
        await #expect(throws: VendorToolError.self) {
            try await tool.currentSettings(keys: ["BIOS.ProcSettings.LogicalProc"])
        }
        #expect(try standIn.calls().isEmpty)
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let batch = VendorBIOSApplier(tool: tool, map: catalog.biosAttributes).batch(for: [
            BIOSPlan.Item(
                setting: "TurboMode", attribute: "ProcTurboMode", current: .bool(false), desired: .bool(true),
                fate: .vendorTool(tool: "test", route: .vendorOnly), source: "test")
        ])
        #expect(
            batch.changes == [
                VendorBIOSChange(setting: "TurboMode", key: "BIOS.ProcSettings.ProcTurboMode", value: "Enabled")
            ])
    }

    @Test("a tool that runs past its timeout is stopped, and the error says which step")
    func timeout() async throws {
        let standIn = try StandInTool(name: "sum", body: "sleep 30", password: Self.password)
        defer { standIn.remove() }
        let sum = SUMTool(
            executable: standIn.executable.path, host: "10.9.8.7", user: "admin", password: Self.password,
            runner: StandInTool.runner, logger: Logger(label: "sum"), timeout: .milliseconds(500))
        do throws(VendorToolError) {
            _ = try await sum.currentSettings()
            Issue.record("a hung tool returned")
        } catch {
            #expect(error.kind == .timedOut)
            #expect(
                error.description
                    == "sum on 10.9.8.7: GetCurrentBiosCfg did not finish within 0.5 seconds and was stopped")
        }
    }
}

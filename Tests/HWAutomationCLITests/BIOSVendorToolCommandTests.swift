import BIOS
import Catalog
import Foundation
import Inventory
import Lab
import TestSupport
import Testing
import VendorTools

/// `hwautomation bios plan --from-sum-file` and `bios apply` through a vendor tool (a SUM stand-in).
@Suite("hwautomation bios with a vendor tool")
struct BIOSVendorToolCommandTests {
    @Test("plan --from-sum-file reads a SUM GetCurrentBiosCfg file; one of --redfish or --from-sum-file is required")
    func planFromSUMFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-sum-\(UUID().uuidString).xml")
        try StandInScripts.sumConfiguration.write(to: file, atomically: true, encoding: .isoLatin1)
        defer { try? FileManager.default.removeItem(at: file) }
        let plan = try await CLI.run(["bios", "plan", "--type", "s2.c2.small", "--from-sum-file", file.path, "--json"])
        #expect(plan.exitCode == 0, "\(plan.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        #expect(json["bmc"] as? String == file.path)
        let items = try #require(json["items"] as? [[String: Any]])
        let bootMode = try #require(items.first { $0["setting"] as? String == "BootMode" })
        #expect(bootMode["current"] as? String == "LEGACY" && bootMode["status"] as? String == "change")
        let text = try await CLI.run(["bios", "plan", "--type", "s2.c2.small", "--from-sum-file", file.path])
        #expect(text.stdout.contains("change(s) on \(file.path) for s2.c2.small"))

        let neither = try await CLI.run(["bios", "plan", "--type", "s2.c2.small"])
        #expect(neither.exitCode != 0)
        #expect(neither.stderr.contains("give one of --redfish URL or --from-sum-file FILE"))
        let notXML = try await CLI.run(["bios", "plan", "--type", "s2.c2.small", "--from-sum-file", "/etc/hostname"])
        #expect(notXML.exitCode == 1)
        #expect(notXML.stderr.contains("/etc/hostname"))
    }

    @Test("apply for a vendor_tool type: SUM stages the changes, one reset, no PATCH; the password never on argv")
    func applyThroughSUM() async throws {
        // Our catalog with s2.c2.small switched to the vendor_tool method.
        let configs = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-configs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: configs) }
        try FileManager.default.copyItem(
            at: Peer.repositoryRoot.appendingPathComponent("Sources/Catalog/Resources/configs"), to: configs)
        let vendorFile = configs.appendingPathComponent("vendors/supermicro.yaml")
        let original = try String(contentsOf: vendorFile, encoding: .utf8)
        let hybrid = "  s2.c2.small:\n    bios:\n      preferred_method: hybrid\n"
        try #require(original.contains(hybrid))
        try original.replacingOccurrences(
            of: hybrid, with: "  s2.c2.small:\n    bios:\n      preferred_method: vendor_tool\n"
        ).write(to: vendorFile, atomically: true, encoding: .utf8)

        let catalog = try CatalogLoader.load(directory: configs.path).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        let standIn = try StandInTool(name: "sum", body: StandInScripts.sum)
        defer { standIn.remove() }
        // The server's SUM settings: every setting the attribute map has a SUM path for, and every template setting
        // of the type (SUM keys what the map lacks by the template's menu path), in one menu.
        let desired = try DesiredBIOSState(type: type, catalog: catalog)
        var names: [String] = []
        for entry in catalog.biosAttributes.attributes.values {
            guard let name = entry.sum?.split(separator: "/").last, !names.contains(String(name)) else { continue }
            names.append(String(name))
        }
        for setting in desired.settings.values {
            guard let template = setting.template, !names.contains(template.name) else { continue }
            names.append(template.name)
        }
        var xml = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<BiosCfg>\n<Menu name=\"Advanced\">\n"
        for name in names {
            let escaped = name.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(
                of: "\"", with: "&quot;")
            xml += "<Setting name=\"\(escaped)\" selectedOption=\"Unset\" type=\"Option\"/>\n"
        }
        try standIn.write("state.xml", xml + "</Menu>\n</BiosCfg>\n")

        var settings = SimulatedBMC.Settings()
        settings.password = standIn.password
        settings.postSeconds = 0
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], settings: settings)
        try await lab.withServer { port in
            let apply = try await CLI.run(
                [
                    "bios", "apply", "--type", "s2.c2.small", "--config-dir", configs.path, "--redfish",
                    Lab.baseURL(port: port, index: 0).absoluteString, "--user", "admin", "--password-env", "BMC_PW",
                    "--vendor-tool-path", standIn.executable.path, "--backup-dir",
                    configs.appendingPathComponent("b").path,
                    "--json",
                ], environment: ["BMC_PW": standIn.password])
            #expect(!apply.stdout.contains(standIn.password) && !apply.stderr.contains(standIn.password))
            try #require(!apply.stdout.isEmpty, "\(apply.stderr)")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(apply.stdout.utf8)) as? [String: Any], "\(apply.stderr)")
            #expect(report["vendor_tool"] as? String == "sum on 127.0.0.1")
            #expect(report["patched"] as? Bool == false && report["reset"] as? Bool == true)
            #expect(lab.nodes[0].withState { $0.counters.resets } == 1)
            #expect(lab.nodes[0].withState { $0.counters.patches } == 0)
            let verified = try #require(report["verified"] as? [String: Bool])
            #expect(!verified.isEmpty && verified.values.allSatisfy { $0 }, "\(verified)")
            // What is left undone is exactly what has no SUM path.
            let plan = try #require(report["plan"] as? [String: Any])
            let routed = try #require(plan["items"] as? [[String: Any]]).filter {
                $0["route"] as? String == "vendor_tool"
            }.compactMap { $0["setting"] as? String }
            let noPath = routed.filter {
                VendorBIOSApplier.key(
                    for: $0, template: desired.settings[$0]?.template, kind: .sum, map: catalog.biosAttributes) == nil
            }
            let exceptions = try #require(plan["items"] as? [[String: Any]]).filter {
                ["unresolved", "invalid", "read_only"].contains($0["status"] as? String ?? "")
            }.compactMap { $0["setting"] as? String }
            let notApplied = (report["not_applied"] as? [[String: Any]] ?? []).compactMap { $0["setting"] as? String }
            #expect(Set(notApplied) == Set(noPath).union(exceptions))
            #expect(Set(verified.keys) == Set(routed).subtracting(noPath))
            #expect(apply.exitCode == (notApplied.isEmpty ? 0 : 1))
            let calls = try standIn.calls()
            #expect(calls.map { $0.arguments[5] } == ["GetCurrentBiosCfg", "ChangeBiosCfg", "GetCurrentBiosCfg"])
            #expect(calls.allSatisfy { Array($0.arguments.prefix(4)) == ["-i", "127.0.0.1", "-u", "admin"] })
            #expect(calls.allSatisfy { call in !call.arguments.contains { $0.contains(standIn.password) } })
            #expect(calls.allSatisfy { $0.input == standIn.password + "\n" })
            #expect(calls.allSatisfy { $0.environmentNames.contains("BMC_PW") }, "inherited, but blanked")
            #expect(calls.allSatisfy { !$0.passwordInEnvironment }, "no variable hands the tool the password")
        }
    }
}

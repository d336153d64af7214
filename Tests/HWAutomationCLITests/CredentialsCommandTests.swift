import Catalog
import Foundation
import Inventory
import Lab
import Store
import TestSupport
import Testing

/// `hwautomation credentials set --allow`, `bind`, `list`, and the commands that use a stored credential refusing
/// one that is not for their address.
@Suite("hwautomation credentials bindings", .serialized)
struct CredentialsCommandTests {
    static func state() -> [String: String] {
        [
            "HWA_STATE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent(
                "hwa-state-\(UUID().uuidString)"
            ).path,
            "SECRET": "very-secret-value",
        ]
    }

    @Test("set --allow, list (table and JSON) with bindings and the unbound flagged, bind changes them")
    func setListBind() async throws {
        let environment = Self.state()
        defer { try? FileManager.default.removeItem(atPath: environment["HWA_STATE_DIR"]!) }
        let set = try await CLI.run(
            [
                "credentials", "set", "rack1", "--user", "admin", "--from-env", "SECRET", "--allow", "10.1.0.0/16",
                "--allow", "BMC-*.rack1.example", "--allow", "fd00::/8",
            ], environment: environment)
        #expect(set.exitCode == 0, "\(set.stderr)")
        #expect(set.stdout.contains("bound to 10.1.0.0/16, bmc-*.rack1.example, fd00::/8"))
        let legacy = try await CLI.run(
            ["credentials", "set", "legacy", "--from-env", "SECRET"], environment: environment)
        #expect(legacy.stdout.contains("unbound: usable against any address"))
        let bad = try await CLI.run(
            ["credentials", "set", "bad", "--from-env", "SECRET", "--allow", "10.1.0.1/16"], environment: environment)
        #expect(bad.exitCode == 1 && bad.stderr.contains("`10.1.0.1/16`") && bad.stderr.contains("10.1.0.0/16"))

        let table = try await CLI.run(["credentials", "list"], environment: environment)
        #expect(table.exitCode == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first?.contains("BOUND TO") == true && lines.first?.contains("PLAIN HTTP") == true)
        #expect(lines.contains { $0.hasPrefix("legacy") && $0.contains("unbound: usable against any address") })
        #expect(lines.contains { $0.hasPrefix("rack1") && $0.contains("10.1.0.0/16, bmc-*.rack1.example, fd00::/8") })
        #expect(!lines.contains { $0.hasPrefix("bad") }, "a refused binding stores nothing")
        #expect(table.stderr.contains("1 credential(s) unbound"))
        #expect(!table.stdout.contains("very-secret-value") && !table.stderr.contains("very-secret-value"))

        let bind = try await CLI.run(
            [
                "credentials", "bind", "rack1", "--remove", "fd00::/8", "--allow", "10.2.0.5", "--allow-plain-http",
            ], environment: environment)
        #expect(bind.exitCode == 0, "\(bind.stderr)")
        #expect(
            bind.stdout.contains("bound to 10.1.0.0/16, bmc-*.rack1.example, 10.2.0.5; plain http allowed"))
        let absent = try await CLI.run(
            ["credentials", "bind", "rack1", "--remove", "10.9.9.9"], environment: environment)
        #expect(absent.exitCode == 1 && absent.stderr.contains("credential rack1 is not bound to 10.9.9.9"))
        let missing = try await CLI.run(
            ["credentials", "bind", "nope", "--allow", "10.9.9.9"], environment: environment)
        #expect(missing.exitCode == 1 && missing.stderr.contains("no credential nope"))
        _ = try await CLI.run(["credentials", "bind", "legacy", "--allow", "maas.example"], environment: environment)

        let json = try await CLI.run(["credentials", "list", "--json"], environment: environment)
        let list = try #require(try CLI.json(json.stdout) as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as? String ?? "?", $0) })
        #expect(byName["rack1"]?["allow"] as? [String] == ["10.1.0.0/16", "bmc-*.rack1.example", "10.2.0.5"])
        #expect(byName["rack1"]?["allow_plain_http"] as? Bool == true)
        #expect(byName["rack1"]?["unbound"] as? Bool == false)
        #expect(byName["legacy"]?["allow"] as? [String] == ["maas.example"])
        #expect(!json.stdout.contains("very-secret-value"))

        // servers add refuses a credential that is not for the BMC, before any workflow would connect.
        let refused = try await CLI.run(
            ["servers", "add", "S1", "--bmc", "https://10.3.0.5", "--credential", "rack1"], environment: environment)
        #expect(refused.exitCode == 1 && refused.stderr.contains("credential rack1 is not for 10.3.0.5"))
        let added = try await CLI.run(
            ["servers", "add", "S2", "--bmc", "https://bmc-2.rack1.example", "--credential", "rack1"],
            environment: environment)
        #expect(added.exitCode == 0, "\(added.stderr)")
    }

    @Test("maas commands: the key's bindings checked against --maas-url; plain http needs --allow-plain-http")
    func maas() async throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let key = "c0nsumer:t0ken:s3cret"
        let lab = Lab(
            servers: [ServerModel(deviceType: try #require(catalog.deviceType(named: "s2.c2.small")), index: 1)],
            maasAPIKey: key)
        var environment = Self.state()
        defer { try? FileManager.default.removeItem(atPath: environment["HWA_STATE_DIR"]!) }
        environment["MAAS_KEY"] = key
        for (name, extra) in [
            ("elsewhere", ["--allow", "maas.example.org", "--allow-plain-http"]),
            ("https-only", ["--allow", "127.0.0.1"]),
            ("lab", ["--allow", "127.0.0.1", "--allow-plain-http"]),
        ] {
            let set = try await CLI.run(
                ["credentials", "set", name, "--kind", "maas", "--from-env", "MAAS_KEY"] + extra,
                environment: environment)
            #expect(set.exitCode == 0, "\(set.stderr)")
        }
        let stateEnvironment = environment
        try await lab.withServer { port in
            let environment = stateEnvironment
            let url = Lab.maasURL(port: port).absoluteString
            let elsewhere = try await CLI.run(
                ["maas", "machines", "--maas-url", url, "--credential", "elsewhere"], environment: environment)
            #expect(elsewhere.exitCode == 1)
            #expect(elsewhere.stderr.contains("credential elsewhere is not for 127.0.0.1"), "\(elsewhere.stderr)")
            let plain = try await CLI.run(
                ["maas", "machines", "--maas-url", url, "--credential", "https-only"], environment: environment)
            #expect(plain.exitCode == 1)
            #expect(plain.stderr.contains("credential https-only would be sent over plain http"), "\(plain.stderr)")
            #expect(try #require(lab.maas).received.isEmpty, "nothing reached MAAS")
            let allowed = try await CLI.run(
                ["maas", "machines", "--maas-url", url, "--credential", "lab", "--json"], environment: environment)
            #expect(allowed.exitCode == 0, "\(allowed.stderr)")
            #expect(try #require(lab.maas).received.count >= 1)
            #expect(!(elsewhere.stderr + plain.stderr + allowed.stdout).contains(key))
            // `workflow run maas-provisioning` picks its machines through the same service and checks.
            let before = try #require(lab.maas).received.count
            let picked = try await CLI.run(
                [
                    "workflow", "run", "maas-provisioning", "--maas-url", url, "--maas-credential", "elsewhere",
                    "--maas-status", "Ready",
                ], environment: environment)
            #expect(picked.exitCode == 1 && picked.stderr.contains("credential elsewhere is not for 127.0.0.1"))
            #expect(try #require(lab.maas).received.count == before, "nothing reached MAAS")
            let none = try await CLI.run(
                [
                    "workflow", "run", "maas-provisioning", "--maas-url", url, "--maas-credential", "lab",
                    "--maas-status", "No such status",
                ], environment: environment)
            #expect(none.exitCode == 1 && none.stderr.contains("no MAAS machine is No such status"), "\(none.stderr)")
            #expect(try #require(lab.maas).received.count > before, "the machines were listed")
        }
    }
}

import Foundation
import Logging
import Remote
import TestSupport
import Testing

/// One smoke test per peer, proving that scripts/test-peers.sh started it and that it answers.
@Suite("Test peers")
struct PeerSmokeTests {
    let runner = ProcessRunner(logger: Logger(label: "harness"))

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("sushy-tools (fake driver) serves the Redfish service root", .enabled(if: Peer.redfish.enabled))
    func redfishFake() async throws {
        let url = try Peer.value("HWA_TEST_REDFISH_URL")
        let output = try await runner.check(
            Command("curl", ["-sS", "--fail", "\(url)/redfish/v1/"], timeout: .seconds(300)))
        let root = try json(output.standardOutput)
        #expect(root["RedfishVersion"] is String)
        #expect((root["Systems"] as? [String: Any])?["@odata.id"] as? String == "/redfish/v1/Systems")
    }

    @Test(
        "sushy-tools (libvirt) serves the service root over verified TLS with Basic auth",
        .enabled(if: Peer.redfishTLS.enabled))
    func redfishTLS() async throws {
        let url = try Peer.value("HWA_TEST_REDFISH_TLS_URL")
        let ca = try Peer.value("HWA_TEST_REDFISH_CA")
        let user = try Peer.value("HWA_TEST_REDFISH_USER")
        let password = try Peer.secret("HWA_TEST_REDFISH_PASSWORD_FILE")
        // The credentials go to curl on stdin (-K -), never on its command line.
        let config = "user = \"\(user):\(password)\"\n"
        let root = try await runner.check(
            Command(
                "curl", ["-sS", "--fail", "--cacert", ca, "-K", "-", "\(url)/redfish/v1/"], input: config,
                timeout: .seconds(300)))
        #expect(try json(root.standardOutput)["RedfishVersion"] is String)
        let systems = try await runner.check(
            Command(
                "curl", ["-sS", "--fail", "--cacert", ca, "-K", "-", "\(url)/redfish/v1/Systems"], input: config,
                timeout: .seconds(300)))
        let members = try #require(try json(systems.standardOutput)["Members"] as? [[String: Any]])
        #expect(!members.isEmpty)
        // Without credentials the BMC refuses.
        let anonymous = try await runner.run(
            Command(
                "curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca, "\(url)/redfish/v1/Systems"],
                timeout: .seconds(300)))
        #expect(anonymous.standardOutput == "401")
    }

    @Test("ipmi_sim answers `ipmitool mc info` over lanplus", .enabled(if: Peer.ipmi.enabled))
    func ipmi() async throws {
        let host = try Peer.value("HWA_TEST_IPMI_HOST")
        let port = try Peer.value("HWA_TEST_IPMI_PORT")
        let user = try Peer.value("HWA_TEST_IPMI_USER")
        let password = try Peer.secret("HWA_TEST_IPMI_PASSWORD_FILE")
        let output = try await runner.check(
            Command(
                "ipmitool",
                [
                    "-I", "lanplus", "-H", host, "-p", port, "-U", user, "-E", "-C", "3", "-N", "2", "-R", "2", "mc",
                    "info",
                ],
                environment: ["IPMI_PASSWORD": password], secretEnvironment: ["IPMI_PASSWORD"], timeout: .seconds(300)))
        #expect(output.standardOutput.contains("Manufacturer ID"))
        #expect(output.standardOutput.contains("IPMI Version"))
    }

    @Test("sshd runs the real dmidecode on the synthetic SMBIOS table", .enabled(if: Peer.ssh.enabled))
    func ssh() async throws {
        let host = try Peer.value("HWA_TEST_SSH_HOST")
        let port = try Peer.value("HWA_TEST_SSH_PORT")
        let user = try Peer.value("HWA_TEST_SSH_USER")
        let key = try Peer.value("HWA_TEST_SSH_KEY")
        let output = try await runner.check(
            Command(
                "ssh",
                [
                    "-i", key, "-p", port, "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o",
                    "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "\(user)@\(host)", "dmidecode", "-t",
                    "system",
                ], timeout: .seconds(300)))
        #expect(output.standardOutput.contains("System Information"))
        #expect(output.standardOutput.contains("Manufacturer: Contoso"))
        #expect(output.standardOutput.contains("Serial Number: SN-0001"))
    }

    @Test("PostgreSQL answers with password authentication", .enabled(if: Peer.postgres.enabled))
    func postgres() async throws {
        let url = try Peer.value("HWA_TEST_POSTGRES_URL")
        // The password reaches psql in its environment, never on its command line.
        let output = try await runner.check(
            Command(
                "psql", [url, "-XAtc", "SELECT current_user"],
                environment: ["PGPASSWORD": try Peer.secret("HWA_TEST_POSTGRES_PASSWORD_FILE")], timeout: .seconds(300))
        )
        #expect(output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "hwa")
    }

    @Test("headless Chromium renders a page to its DOM", .enabled(if: Peer.chromium.enabled))
    func chromium() async throws {
        let chromium = try Peer.value("HWA_TEST_CHROMIUM")
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-smoke-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let output = try await runner.check(
            Command(
                chromium,
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)", "--dump-dom",
                    "data:text/html,<p id=x>smoke</p><script>document.getElementById('x').textContent+='-js'</script>",
                ], timeout: .seconds(300)))
        #expect(output.standardOutput.contains("smoke-js"))
    }

    @Test("Playwright is installed in the peers' virtualenv", .enabled(if: Peer.playwright.enabled))
    func playwright() async throws {
        let output = try await runner.check(
            Command(
                try Peer.value("HWA_TEST_PLAYWRIGHT"),
                [
                    "-c",
                    "import playwright.sync_api, importlib.metadata; print(importlib.metadata.version('playwright'))",
                ], timeout: .seconds(300)))
        #expect(output.standardOutput.split(separator: ".").count >= 2, "\(output.standardOutput)")
    }

    @Test("schemathesis is installed in the peers' virtualenv", .enabled(if: Peer.schemathesis.enabled))
    func schemathesis() async throws {
        let output = try await runner.check(
            Command(try Peer.value("HWA_TEST_SCHEMATHESIS"), ["--version"], timeout: .seconds(300)))
        #expect(output.standardOutput.contains("schemathesis"))
    }
}

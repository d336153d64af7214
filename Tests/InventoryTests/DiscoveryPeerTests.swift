import Foundation
import Logging
import Redfish
import Remote
import TestSupport
import Testing

@testable import Inventory

/// Discovery against the real peers: OpenSSH's sshd running the real dmidecode, and sushy-tools.
@Suite("Discovery against real peers")
struct DiscoveryPeerTests {
    let logger = Logger(label: "discovery-tests")

    func sshTarget(knownHosts: String) throws -> SSHTarget {
        SSHTarget(
            host: try Peer.value("HWA_TEST_SSH_HOST"), port: Int(try Peer.value("HWA_TEST_SSH_PORT")) ?? 22,
            user: try Peer.value("HWA_TEST_SSH_USER"), keyFile: try Peer.value("HWA_TEST_SSH_KEY"),
            knownHostsFile: knownHosts)
    }

    /// A key of this test's own, authorised on the sshd peer, so its logins can be counted in sshd's log even
    /// while other tests connect.
    func ownKey() async throws -> (file: String, fingerprint: String) {
        let runner = ProcessRunner(logger: logger)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-key-\(UUID().uuidString)").path
        _ = try await runner.check(Command("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]))
        let fingerprint = try await runner.check(Command("ssh-keygen", ["-l", "-f", file + ".pub"]))
            .standardOutput.split(separator: " ")[1]
        let authorized = try Peer.value("HWA_TEST_PEERS_DIR") + "/ssh/authorized_keys"
        let handle = try #require(FileHandle(forWritingAtPath: authorized))
        handle.seekToEndOfFile()
        handle.write(try Data(contentsOf: URL(fileURLWithPath: file + ".pub")))
        handle.closeFile()
        return (file, String(fingerprint))
    }

    func logins(with fingerprint: String) throws -> Int {
        let log = try Peer.value("HWA_TEST_PEERS_DIR") + "/logs/sshd.log"
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { $0.contains("Accepted publickey") && $0.contains(fingerprint) }
            .count
    }

    @Test("SSH: the inventory matches the synthetic SMBIOS dump, over one connection", .enabled(if: Peer.ssh.enabled))
    func ssh() async throws {
        let knownHosts = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-kh-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: knownHosts) }
        let key = try await ownKey()
        var target = try sshTarget(knownHosts: knownHosts)
        target.keyFile = key.file
        let session = try SSHSession(target: target, runner: ProcessRunner(logger: logger), logger: logger)
        let (bundle, problems) = try await SSHDiscovery(session: session).collect()
        await session.close()
        #expect(try logins(with: key.fingerprint) == 1, "every command should share one SSH connection")
        #expect(bundle.outputs[.dmidecode] != nil && bundle.outputs[.lsblk] != nil && bundle.outputs[.ipAddr] != nil)
        #expect(problems.allSatisfy { $0.source == "ipmitool-lan.txt" || $0.source == "lshw.json" }, "\(problems)")
        let inventory = await bundle.inventory()
        #expect(inventory.system.manufacturer == "Contoso")
        #expect(inventory.system.serial == "SN-0001")
        #expect(inventory.system.uuid == "4c4c4544-0042-3510-8052-b4c04f4e3432")
        #expect(inventory.memory.dimms.count == 4)
        #expect(inventory.memory.dimms.allSatisfy { $0.sizeGiB == 16 })
        #expect(inventory.cpu.physicalCores == 16)
        #expect(inventory.sources["cpu.physical_cores"] == "dmidecode.txt")
        // The host key was recorded on first contact.
        let recorded = try String(contentsOfFile: knownHosts, encoding: .utf8)
        #expect(recorded.contains("ssh-ed25519"))
    }

    @Test("SSH: a changed host key is refused with a clear error", .enabled(if: Peer.ssh.enabled))
    func changedHostKey() async throws {
        let knownHosts = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-kh-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: knownHosts) }
        let target = try sshTarget(knownHosts: knownHosts)
        // Record a real key that is not the server's.
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-hostkey-\(UUID().uuidString)")
            .path
        _ = try await ProcessRunner(logger: logger).check(
            Command("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]))
        let publicKey = try String(contentsOfFile: other + ".pub", encoding: .utf8).split(separator: " ").prefix(2)
            .joined(separator: " ")
        try "[\(target.host)]:\(target.port) \(publicKey)\n".write(
            toFile: knownHosts, atomically: true, encoding: .utf8)
        let session = try SSHSession(target: target, runner: ProcessRunner(logger: logger), logger: logger)
        await #expect {
            _ = try await session.run("true")
        } throws: { error in
            guard let error = error as? SSHError else { return false }
            return error.kind == .hostKeyChanged && error.message.contains("ssh-keygen -R")
        }
        await session.close()
    }

    @Test("SSH: an unreachable port is .unreachable", .enabled(if: Peer.ssh.enabled))
    func unreachable() async throws {
        let knownHosts = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-kh-\(UUID().uuidString)")
            .path
        var target = try sshTarget(knownHosts: knownHosts)
        target.port = 1
        target.connectTimeoutSeconds = 3
        let session = try SSHSession(target: target, runner: ProcessRunner(logger: logger), logger: logger)
        await #expect {
            _ = try await session.run("true")
        } throws: { error in
            (error as? SSHError)?.kind == .unreachable
        }
        await session.close()
    }

    func libvirtClient() throws -> RedfishClient {
        let endpoint = RedfishEndpoint(
            baseURL: URL(string: try Peer.value("HWA_TEST_REDFISH_TLS_URL"))!,
            username: try Peer.value("HWA_TEST_REDFISH_USER"),
            password: try Peer.secret("HWA_TEST_REDFISH_PASSWORD_FILE"),
            tls: .trustRoots(pemFile: try Peer.value("HWA_TEST_REDFISH_CA")))
        return try RedfishClient(endpoint: endpoint, logger: logger)
    }

    @Test(
        "Redfish (sushy-tools, libvirt): system, CPUs, memory and NICs; the saved tree rebuilds the same inventory",
        .enabled(if: Peer.redfishTLS.enabled))
    func redfish() async throws {
        let client = try libvirtClient()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-bundle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let tree = folder.appendingPathComponent(DiscoveryBundle.redfishFolder)
        let inventory = await RedfishDiscovery(client: client).inventory(
            system: "11111111-2222-3333-4444-555555555502", saveTo: tree)
        let requests = await client.requestCount
        await client.shutdown()
        #expect(inventory.system.manufacturer == "Sushy Emulator")
        #expect(inventory.system.uuid == "11111111-2222-3333-4444-555555555502")
        #expect(inventory.cpu.sockets == 8)
        #expect(inventory.memory.totalGiB == 32)
        #expect(inventory.nics.contains { $0.mac == "52:54:00:aa:00:02" })
        #expect(requests > 3)
        let offline = await (try DiscoveryBundle.read(from: folder)).inventory()
        #expect(offline.system == inventory.system)
        #expect(offline.cpu == inventory.cpu)
        #expect(offline.memory == inventory.memory)
    }

    @Test("Redfish (sushy-tools, fake driver): system and NICs over plain HTTP", .enabled(if: Peer.redfish.enabled))
    func redfishFake() async throws {
        let client = try RedfishClient(
            endpoint: RedfishEndpoint(baseURL: URL(string: try Peer.value("HWA_TEST_REDFISH_URL"))!), logger: logger)
        let inventory = await RedfishDiscovery(client: client).inventory()
        await client.shutdown()
        #expect(inventory.system.manufacturer == "Sushy Emulator")
        #expect(inventory.system.uuid != nil)
        #expect(!inventory.nics.isEmpty)
    }
}

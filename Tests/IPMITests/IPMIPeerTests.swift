import Foundation
import Inventory
import Logging
import Remote
import TestSupport
import Testing

@testable import IPMI

/// Against OpenIPMI's ipmi_sim on loopback, through a recording stand-in that logs every argv before running the
/// real ipmitool, so the tests can check that no password is ever on a command line.
@Suite("IPMI against ipmi_sim", .serialized)
struct IPMIPeerTests {
    let runner = ProcessRunner(logger: Logger(label: "ipmi-tests"))

    /// A wrapper script that appends its argv to `log`, then execs ipmitool.
    static func recorder() throws -> (executable: String, log: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-ipmi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("argv.log").path
        let script = folder.appendingPathComponent("ipmitool").path
        try "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \(log)\nexec ipmitool \"$@\"\n".write(
            toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        return (script, log)
    }

    func tool(user: String? = nil, password: String? = nil, port: Int? = nil, executable: String = "ipmitool") throws
        -> IPMITool
    {
        let defaultPort = Int(try Peer.value("HWA_TEST_IPMI_PORT"))!
        let defaultUser = try Peer.value("HWA_TEST_IPMI_USER")
        let defaultPassword = try Peer.secret("HWA_TEST_IPMI_PASSWORD_FILE")
        return IPMITool(
            target: IPMITarget(
                host: try Peer.value("HWA_TEST_IPMI_HOST"), port: port ?? defaultPort, user: user ?? defaultUser,
                password: password ?? defaultPassword, timeoutSeconds: 1, retries: 1, executable: executable),
            runner: runner)
    }

    @Test(
        "mc info, power off/on with wait, bootdev pxe, lan print and lan set, sdr, users; no password in any argv",
        .enabled(if: Peer.ipmi.enabled))
    func operations() async throws {
        let (executable, log) = try Self.recorder()
        let ipmi = try tool(executable: executable)
        let info = try await ipmi.mcInfo()
        #expect(info.manufacturerID == 4753)
        try await ipmi.power(.off, wait: .seconds(30), poll: .milliseconds(200))
        #expect(try await ipmi.powerIsOn() == false)
        try await ipmi.power(.on, wait: .seconds(30), poll: .milliseconds(200))
        #expect(try await ipmi.powerIsOn())
        try await ipmi.bootDevice(.pxe)
        let bootFile = try Peer.value("HWA_TEST_PEERS_DIR") + "/ipmi/state/chassis-bmc1/boot"
        #expect((try? String(contentsOfFile: bootFile, encoding: .utf8))?.contains("pxe") == true)
        let before = try await ipmi.lan()
        #expect(before.ip != nil && before.mac != nil)
        try await ipmi.setLAN(address: "127.0.0.9", netmask: "255.255.255.0", gateway: "127.0.0.1")
        let after = try await ipmi.lan()
        #expect(after.ip == "127.0.0.9" && after.netmask == "255.255.255.0" && after.gateway == "127.0.0.1")
        try await ipmi.setLAN(address: before.ip, netmask: before.netmask, gateway: before.gateway)
        #expect(try await ipmi.lan().ip == before.ip)
        let sdr = try await ipmi.sdr()
        #expect(sdr.contains { $0.name == "Inlet Temp" && $0.reading.contains("degrees C") })
        let users = try await ipmi.users()
        let adminName = try Peer.value("HWA_TEST_IPMI_USER")
        #expect(users.contains { $0.name == adminName && $0.privilege == "ADMINISTRATOR" })
        let argv = try String(contentsOfFile: log, encoding: .utf8)
        #expect(!argv.contains(try Peer.secret("HWA_TEST_IPMI_PASSWORD_FILE")))
        #expect(argv.contains("-E"))
    }

    @Test("a new user set over IPMI can log in; its password never appears in argv", .enabled(if: Peer.ipmi.enabled))
    func newUser() async throws {
        let (executable, log) = try Self.recorder()
        let admin = try tool(executable: executable)
        let password = "hwa" + String(UInt32.random(in: 100_000...999_999))
        try await admin.configureUser(id: 3, name: "hwa", password: password)
        let users = try await admin.users()
        #expect(users.contains { $0.id == 3 && $0.name == "hwa" })
        let login = try tool(user: "hwa", password: password)
        #expect(try await login.mcInfo().manufacturerID == 4753)
        let argv = try String(contentsOfFile: log, encoding: .utf8)
        #expect(!argv.contains(password))
    }

    @Test(
        "a sensor pushed out of range through ipmi_sim's console shows as a threshold breach and in the SEL",
        .enabled(if: Peer.ipmi.enabled))
    func breach() async throws {
        let ipmi = try tool()
        let console = Int(try Peer.value("HWA_TEST_IPMI_PORT"))! + 1
        let script = """
            import socket, time
            s = socket.create_connection(("127.0.0.1", \(console)), timeout=5)
            time.sleep(0.2)
            s.sendall(b"sensor_set_value 0x20 0 1 0x5a 1\\n")
            time.sleep(0.5)
            s.close()
            """
        _ = try await runner.check(Command("python3", ["-c", script], timeout: .seconds(20)))
        let inlet = try #require(try await ipmi.sensors().first { $0.name == "Inlet Temp" })
        #expect(inlet.value == 90)
        #expect(inlet.breach != nil)
        #expect(!(try await ipmi.sel()).isEmpty)
        // Back to normal for other tests.
        let reset = script.replacingOccurrences(of: "0x5a", with: "0x1c")
        _ = try await runner.check(Command("python3", ["-c", reset], timeout: .seconds(20)))
    }

    @Test(
        "wrong password, unreachable BMC and garbled output each give one clear error naming the BMC",
        .enabled(if: Peer.ipmi.enabled))
    func errors() async throws {
        let wrong = try tool(password: "not-the-password")
        await #expect {
            _ = try await wrong.mcInfo()
        } throws: { error in
            guard let error = error as? IPMIError else { return false }
            return error.kind == .authentication || error.kind == .unreachable && error.bmc.hasPrefix("127.0.0.1:")
        }
        // ipmi_sim keeps no FRU data: the BMC's refusal is named, not faked.
        let plain = try tool()
        await #expect {
            _ = try await plain.fru()
        } throws: { error in
            (error as? IPMIError)?.kind == .unsupported && "\(error)".contains("127.0.0.1:")
        }
        let nowhere = try tool(port: 9)
        await #expect {
            _ = try await nowhere.mcInfo()
        } throws: { error in
            (error as? IPMIError)?.kind == .unreachable && (error as? IPMIError)?.bmc == "127.0.0.1:9"
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-garble-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let garbler = folder.appendingPathComponent("ipmitool").path
        try "#!/bin/sh\necho '@@@ \\x00 not ipmitool output'\n".write(
            toFile: garbler, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: garbler)
        let garbled = try tool(executable: garbler)
        await #expect {
            _ = try await garbled.mcInfo()
        } throws: { error in
            (error as? IPMIError)?.kind == .invalidOutput
        }
        await #expect(throws: IPMIError.self) { _ = try await garbled.lan() }
    }

    @Test(
        "set, shown by lan print, kept while the BMC answers; rolled back when it stops answering",
        .enabled(if: Peer.ipmi.enabled))
    func configure() async throws {
        let ipmi = try tool()
        let original = try await ipmi.lan()
        let change = try await ipmi.configureNetwork(
            BMCNetworkSettings(address: "127.0.0.20", netmask: "255.255.255.0", gateway: "127.0.0.1"),
            settle: .seconds(10))
        #expect(!change.rolledBack)
        #expect(change.after.ip == "127.0.0.20")
        // The BMC "stops answering" at the new address: the check fails, the previous values come back.
        await #expect {
            _ = try await ipmi.configureNetwork(
                BMCNetworkSettings(address: "127.0.0.21", netmask: "255.255.255.0"), check: { false },
                settle: .seconds(10))
        } throws: { error in
            "\(error)".contains("put back") && "\(error)".contains("127.0.0.20")
        }
        #expect(try await ipmi.lan().ip == "127.0.0.20")
        try await ipmi.setLAN(address: original.ip, netmask: original.netmask, gateway: original.gateway)
        #expect(try await ipmi.lan().ip == original.ip)
    }

    @Test(
        "Supermicro LAN interface: never sent to another maker's BMC; a Supermicro without it gives a clear error",
        .enabled(if: Peer.ipmi.enabled))
    func supermicroLANPort() async throws {
        let (executable, log) = try Self.recorder()
        let plain = try tool(executable: executable)
        await #expect {
            _ = try await plain.setSupermicroLANPort(.dedicated)
        } throws: { error in
            (error as? IPMIError)?.kind == .unsupported && "\(error)".contains("manufacturer ID 4753")
        }
        #expect(!(try String(contentsOfFile: log, encoding: .utf8)).contains("raw"))
        // The same ipmi_sim, its `mc info` answer relabelled Supermicro: the OEM request now goes out, and the real
        // BMC's "Invalid command" comes back as an unsupported-command error naming it.
        let folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        let relabel = folder.appendingPathComponent("ipmitool-smc").path
        try """
        #!/bin/sh
        printf '%s\\n' "$*" >> \(log)
        case "$*" in
        *"mc info"*)
            out=$(ipmitool "$@") || exit $?
            printf '%s\\n' "$out" | sed 's/^Manufacturer ID .*/Manufacturer ID           : 10876/' ;;
        *) exec ipmitool "$@" ;;
        esac
        """.write(toFile: relabel, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: relabel)
        let labelled = try tool(executable: relabel)
        await #expect {
            _ = try await labelled.supermicroLANPort()
        } throws: { error in
            guard let error = error as? IPMIError else { return false }
            return error.kind == .unsupported && error.bmc.hasPrefix("127.0.0.1:") && error.message.contains("X9")
        }
        let argv = try String(contentsOfFile: log, encoding: .utf8)
        #expect(argv.contains("raw 0x30 0x70 0x0c 0x00"))
    }
}

import Foundation
import Inventory
import Remote

extension IPMITool {
    /// Chassis power actions.
    public enum PowerAction: String, Sendable, CaseIterable {
        /// Power on.
        case on
        /// Hard power off.
        case off
        /// Off, then on.
        case cycle
        /// Hard reset.
        case reset
        /// ACPI soft shutdown.
        case soft
    }

    /// Boot devices for `chassis bootdev`.
    public enum BootDevice: String, Sendable, CaseIterable {
        /// Network boot.
        case pxe
        /// The default hard disk.
        case disk
        /// BIOS setup.
        case bios
    }

    /// `mc info`.
    public func mcInfo() async throws(IPMIError) -> MCInfo {
        guard let info = MCInfo.parse(try await run(["mc", "info"])) else {
            throw IPMIError(
                kind: .invalidOutput, bmc: bmc, message: "`mc info` printed no Manufacturer ID or Firmware Revision")
        }
        return info
    }

    /// `chassis power status`: true when on.
    public func powerIsOn() async throws(IPMIError) -> Bool {
        let text = try await run(["chassis", "power", "status"]).lowercased()
        if text.contains("is on") { return true }
        if text.contains("is off") { return false }
        throw IPMIError(
            kind: .invalidOutput, bmc: bmc,
            message: "cannot read the power state from: \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
    }

    /// `chassis power <action>`, then waits until the power state matches (on for on/cycle/reset, off for off/soft).
    public func power(_ action: PowerAction, wait timeout: Duration = .seconds(120), poll: Duration = .seconds(1))
        async throws(IPMIError)
    {
        _ = try await run(["chassis", "power", action.rawValue])
        let wantOn = [.on, .cycle, .reset].contains(action)
        let deadline = ContinuousClock.now + timeout
        while true {
            if try await powerIsOn() == wantOn { return }
            guard ContinuousClock.now < deadline else {
                throw IPMIError(
                    kind: .failed, bmc: bmc, message: "power did not turn \(wantOn ? "on" : "off") within \(timeout)")
            }
            try? await Task.sleep(for: poll)
        }
    }

    /// `chassis bootdev <device> [options=persistent,efiboot]`.
    public func bootDevice(_ device: BootDevice, persistent: Bool = false, efi: Bool = false) async throws(IPMIError) {
        var arguments = ["chassis", "bootdev", device.rawValue]
        let options = [persistent ? "persistent" : nil, efi ? "efiboot" : nil].compactMap { $0 }
        if !options.isEmpty { arguments.append("options=" + options.joined(separator: ",")) }
        _ = try await run(arguments)
    }

    /// `lan print <channel>`.
    public func lan(channel: Int = 1) async throws(IPMIError) -> LANConfiguration {
        let text = try await run(["lan", "print", String(channel)])
        guard let configuration = LANConfiguration.parse(text) else {
            throw IPMIError(
                kind: .invalidOutput, bmc: bmc, message: "`lan print` printed no IP Address or MAC Address line")
        }
        return configuration
    }

    /// `lan set <channel> ipsrc static|dhcp`, `ipaddr`, `netmask`, `defgw ipaddr`, `vlan id` for what is given.
    public func setLAN(
        channel: Int = 1, dhcp: Bool = false, address: String? = nil, netmask: String? = nil, gateway: String? = nil,
        vlan: Int?? = nil
    ) async throws(IPMIError) {
        let ch = String(channel)
        _ = try await run(["lan", "set", ch, "ipsrc", dhcp ? "dhcp" : "static"])
        if let address { _ = try await run(["lan", "set", ch, "ipaddr", address]) }
        if let netmask { _ = try await run(["lan", "set", ch, "netmask", netmask]) }
        if let gateway { _ = try await run(["lan", "set", ch, "defgw", "ipaddr", gateway]) }
        if let vlan { _ = try await run(["lan", "set", ch, "vlan", "id", vlan.map(String.init) ?? "off"]) }
    }

    /// `user list <channel>`.
    public func users(channel: Int = 1) async throws(IPMIError) -> [IPMIUser] {
        IPMIUser.parse(try await run(["user", "list", String(channel)]))
    }

    /// Names slot `id`, sets its password (through an `exec` file, never on the command line), enables it and
    /// gives it `privilege` (4 = administrator) on `channel` with IPMI messaging.
    public func configureUser(
        id: Int, name: String, password: String, privilege: Int = 4, channel: Int = 1
    ) async throws(IPMIError) {
        _ = try await run(["user", "set", "name", String(id), name])
        try await setPassword(id: id, password)
        _ = try await run(["user", "enable", String(id)])
        _ = try await run(["user", "priv", String(id), String(privilege), String(channel)])
        _ = try await run([
            "channel", "setaccess", String(channel), String(id), "callin=on", "ipmi=on", "link=on",
            "privilege=\(privilege)",
        ])
    }

    /// ipmitool takes a new password only as an argument or at a terminal prompt; an `exec` command file keeps it
    /// off the process list. The file is created 0600 from its first instant (`SecretFile`, never through an existing
    /// name or link) in a new 0700 folder, and both are removed after.
    private func setPassword(id: Int, _ password: String) async throws(IPMIError) {
        guard !password.contains("\n"), password.count <= 20 else {
            throw IPMIError(kind: .failed, bmc: bmc, message: "IPMI passwords are at most 20 characters on one line")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-ipmi-\(UUID().uuidString)")
        let file = folder.appendingPathComponent("exec")
        do throws(SecretFileError) {
            try SecretFile.makeDirectory(folder.path, exclusive: true)
        } catch {
            throw IPMIError(kind: .failed, bmc: bmc, message: "cannot make a private folder: \(error)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        do throws(SecretFileError) {
            try SecretFile.create(Data("user set password \(id) \(password) 20\n".utf8), at: file.path)
        } catch {
            throw IPMIError(kind: .failed, bmc: bmc, message: "cannot write a private command file: \(error)")
        }
        _ = try await run(["exec", file.path])
    }

    /// `fru print <id>`; a BMC without FRU data is an error naming it.
    public func fru(id: Int = 0) async throws(IPMIError) -> FRUInfo {
        let info = FRUInfo.parse(try await run(["fru", "print", String(id)]))
        guard !info.fields.isEmpty else {
            throw IPMIError(kind: .invalidOutput, bmc: bmc, message: "`fru print \(id)` printed no fields")
        }
        return info
    }

    /// `sdr elist`.
    public func sdr() async throws(IPMIError) -> [SDREntry] {
        SDREntry.parse(try await run(["sdr", "elist"]))
    }

    /// `sensor`: threshold sensors with their thresholds.
    public func sensors() async throws(IPMIError) -> [SensorReading] {
        SensorReading.parse(try await run(["sensor"]))
    }

    /// `sel elist`.
    public func sel() async throws(IPMIError) -> [SELEntry] {
        SELEntry.parse(try await run(["sel", "elist"]))
    }

    /// `sel clear`.
    public func clearSEL() async throws(IPMIError) {
        _ = try await run(["sel", "clear"])
    }
}

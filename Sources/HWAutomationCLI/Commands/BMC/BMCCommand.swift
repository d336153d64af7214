import ArgumentParser
import Foundation
import IPMI
import Inventory
import Logging
import Remote
import Store

/// `hwautomation bmc`.
struct BMCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bmc", abstract: "Configure a BMC (network) as one checked operation.",
        subcommands: [BMCConfigureNetworkCommand.self, BMCAutomationUserCommand.self, BMCInBandAccessCommand.self])
}

/// `hwautomation bmc configure-network`.
struct BMCConfigureNetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "configure-network",
        abstract:
            "Set the BMC's address, netmask, gateway and VLAN (or DHCP); wait until they show; roll back if it stops answering.",
        discussion: """
            With --ssh the change goes in band (ipmitool on the host, under sudo -n), which never loses the BMC; \
            otherwise out of band, and the BMC is checked at its new address afterwards (rolled back through the \
            host when --ssh is also given for the fallback, else reported).
            """)

    @OptionGroup var options: IPMIOptions
    @Option(help: "New static address.") var address: String?
    @Option(help: "New netmask.") var netmask: String?
    @Option(help: "New default gateway.") var gateway: String?
    @Option(help: ArgumentHelp("802.1q VLAN id, or off.", valueName: "id|off")) var vlan: String?
    @Flag(help: "Take the address from DHCP.") var dhcp = false
    @Option(help: ArgumentHelp("Configure in band through this host.", valueName: "user@host")) var ssh: String?
    @Option(help: "SSH port.") var sshPort = 22
    @Option(name: .customLong("ssh-key"), help: ArgumentHelp("SSH key.", valueName: "file")) var sshKey: String?

    func validate() throws {
        guard dhcp || address != nil || netmask != nil || gateway != nil || vlan != nil else {
            throw ValidationError("give --dhcp, or at least one of --address, --netmask, --gateway, --vlan")
        }
        if let vlan, vlan != "off", Int(vlan) == nil { throw ValidationError("--vlan takes a number or off") }
    }

    func run() async throws {
        let logger = Logger(label: "hwautomation.bmc")
        let runner = ProcessRunner(logger: logger)
        var vlanSetting: Int?? = nil
        if let vlan { vlanSetting = .some(vlan == "off" ? nil : Int(vlan)) }
        let settings = BMCNetworkSettings(
            dhcp: dhcp, address: address, netmask: netmask, gateway: gateway, vlan: vlanSetting)
        var session: SSHSession?
        if let ssh {
            let parts = ssh.split(separator: "@", maxSplits: 1)
            let (user, host) = parts.count == 2 ? (String(parts[0]), String(parts[1])) : ("root", ssh)
            session = try SSHSession(
                target: SSHTarget(
                    host: host, port: sshPort, user: user, keyFile: sshKey,
                    knownHostsFile: SSHTarget.defaultKnownHostsFile()),
                runner: runner, logger: logger)
        }
        let outOfBand = try options.tool()
        let inBand = session.map { IPMITool(host: $0, runner: runner) }
        let primary = inBand ?? outOfBand
        var check: (@Sendable () async -> Bool)?
        if inBand == nil, let address {
            // Out of band: the BMC must answer at its new address, or the change is undone.
            var moved = options
            moved.bmc = options.bmc.contains(":") ? "\(address):\(options.bmc.split(separator: ":").last!)" : address
            let probe = try moved.tool()
            check = { @Sendable in (try? await probe.mcInfo()) != nil }
        }
        do {
            let change = try await primary.configureNetwork(settings, check: check, fallback: inBand)
            await session?.close()
            print(
                options.json
                    ? try Terminal.json(change)
                    : "BMC network: \(change.before.ip ?? "?") → \(change.after.ip ?? "?") (\(change.after.ipSource ?? "?")), "
                        + "netmask \(change.after.netmask ?? "?"), gateway \(change.after.gateway ?? "?")")
        } catch {
            await session?.close()
            throw CommandFailure("\(error)")
        }
    }
}

/// `hwautomation bmc automation-user`.
struct BMCAutomationUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "automation-user",
        abstract:
            "Create or update HWAutomation's BMC user with a generated password, verify it logs in, store it (never printed)."
    )

    @OptionGroup var options: IPMIOptions
    @OptionGroup var store: StoreOptions
    @Option(help: "User name to create.") var name = "hwautomation"
    @Option(help: "User slot.") var slot = 3
    @Option(help: "Channel.") var channel = 1
    @Option(help: "Credential name to store it under (default bmc-<host>).") var credential: String?

    func run() async throws {
        let admin = try options.tool()
        let store = try await self.store.open()
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let password = String((0..<16).map { _ in alphabet.randomElement()! })
        let host = String(options.bmc.split(separator: ":").first ?? "")
        let name = credential ?? "bmc-\(host)"
        do {
            if let other = try await admin.users(channel: channel).first(where: {
                $0.name == self.name && $0.id != slot
            }) {
                throw CommandFailure(
                    "\(options.bmc): user \(self.name) already exists in slot \(other.id); use --slot \(other.id)"
                )
            }
            try await admin.configureUser(id: slot, name: self.name, password: password, channel: channel)
            let check = IPMITool(
                target: IPMITarget(
                    host: host, port: options.bmc.split(separator: ":").dropFirst().first.flatMap { Int($0) } ?? 623,
                    user: self.name,
                    password: password),
                runner: ProcessRunner(logger: Logger(label: "hwautomation.bmc")))
            _ = try await check.mcInfo()
        } catch let error as IPMIError {
            throw CommandFailure("\(error)")
        }
        // The user exists on this BMC only: its password is bound to it.
        let scope = (try? AddressPattern(host)).map { CredentialScope(allow: [$0]) } ?? .unbound
        try await exitingOnError {
            try await store.putCredential(name: name, user: self.name, secret: password, kind: "bmc", scope: scope)
            try await store.audit(
                AuditEntry(actor: "cli", action: "bmc.automation-user", target: options.bmc, detail: "slot \(slot)"))
        }
        print(
            "user \(self.name) in slot \(slot) logs in; its password is stored as credential \(name) "
                + "(\(CredentialsListCommand.describe(scope)))")
    }
}

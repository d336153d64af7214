import ArgumentParser
import Foundation
import IPMI
import Inventory
import Logging
import Remote

/// `hwautomation ipmi`.
struct IPMICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ipmi",
        abstract: "Talk to a BMC over IPMI (ipmitool; the password goes in the environment, never on a command line).",
        subcommands: [
            IPMIInfoCommand.self, IPMIPowerCommand.self, IPMIBootCommand.self, IPMILanCommand.self,
            IPMIUsersCommand.self, IPMISensorsCommand.self, IPMISELCommand.self, IPMIFRUCommand.self,
            IPMILANPortCommand.self,
        ])
}

/// Where the BMC is and how to log in.
struct IPMIOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The BMC.", valueName: "host[:port]"))
    var bmc: String

    @Option(help: "BMC user.")
    var user: String

    @Option(
        name: .customLong("password-env"),
        help: ArgumentHelp("Environment variable holding the password.", valueName: "var"))
    var passwordEnv: String?

    @Option(
        name: .customLong("password-file"),
        help: ArgumentHelp("File (mode 0600) holding the password.", valueName: "file"))
    var passwordFile: String?

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard (passwordEnv == nil) != (passwordFile == nil) else {
            throw ValidationError("give one of --password-env or --password-file")
        }
    }

    func tool() throws -> IPMITool {
        guard !bmc.contains("@") else {
            throw CommandFailure(
                "--bmc takes host or host:port; a user or password does not belong in it (use --user and "
                    + "--password-env or --password-file)")
        }
        let parts = bmc.split(separator: ":")
        let host = String(parts.first ?? "")
        let port = parts.count > 1 ? Int(parts[1]) : 623
        guard !host.isEmpty, let port else {
            throw CommandFailure("--bmc needs host or host:port")
        }
        let password = try Secrets.password(environment: passwordEnv, file: passwordFile) ?? ""
        return IPMITool(
            target: IPMITarget(host: host, port: port, user: user, password: password),
            runner: ProcessRunner(logger: Logger(label: "hwautomation.ipmi")))
    }

    /// Runs `body`, printing IPMI errors as one line and exiting 1.
    func perform<T: Encodable>(_ body: (IPMITool) async throws(IPMIError) -> T, text: (T) -> String) async throws {
        let tool = try tool()
        do {
            let result = try await body(tool)
            print(json ? try Terminal.json(result) : text(result))
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}

struct IPMIInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "The BMC's maker, vendor and firmware (`mc info`).")
    @OptionGroup var options: IPMIOptions

    func run() async throws {
        try await options.perform({ tool throws(IPMIError) in try await tool.mcInfo() }) { info in
            "manufacturer  \(info.manufacturerName ?? "?") (\(info.manufacturerID.map(String.init) ?? "?"))\n"
                + "vendor        \(info.vendor ?? "not one of supermicro, hpe, dell")\nfirmware      \(info.firmwareRevision ?? "?")"
        }
    }
}

struct IPMIPowerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "power", abstract: "Power status, or on/off/cycle/reset/soft and wait until the state matches.")
    @OptionGroup var options: IPMIOptions
    @Argument(help: "status, on, off, cycle, reset or soft.") var action: String = "status"
    @Option(help: "Seconds to wait for the new state.") var wait: Int = 120

    func run() async throws {
        if action != "status" {
            guard let power = IPMITool.PowerAction(rawValue: action) else {
                throw ValidationError("unknown power action \(action)")
            }
            try await options.perform({ tool throws(IPMIError) in
                try await tool.power(power, wait: .seconds(wait))
                return ["done": action]
            }) { _ in "power \(action): done" }
            return
        }
        try await options.perform({ tool throws(IPMIError) in ["power": try await tool.powerIsOn() ? "on" : "off"] }) {
            "power is \($0["power"]!)"
        }
    }
}

struct IPMIBootCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boot", abstract: "Set the next boot device (pxe, disk, bios).")
    @OptionGroup var options: IPMIOptions
    @Argument(help: "pxe, disk or bios.") var device: String
    @Flag(help: "Keep it for every boot.") var persistent = false
    @Flag(help: "UEFI boot.") var efi = false

    func run() async throws {
        guard let target = IPMITool.BootDevice(rawValue: device) else {
            throw ValidationError("unknown boot device \(device)")
        }
        try await options.perform({ tool throws(IPMIError) in
            try await tool.bootDevice(target, persistent: persistent, efi: efi)
            return ["bootdev": device]
        }) { _ in "boot device set to \(device)" }
    }
}

struct IPMILanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lan", abstract: "The BMC's LAN settings (`lan print`).")
    @OptionGroup var options: IPMIOptions
    @Option(help: "Channel.") var channel = 1

    func run() async throws {
        try await options.perform({ tool throws(IPMIError) in try await tool.lan(channel: channel) }) { lan in
            "source \(lan.ipSource ?? "?")  ip \(lan.ip ?? "?")  netmask \(lan.netmask ?? "?")  gateway \(lan.gateway ?? "?")  "
                + "mac \(lan.mac ?? "?")  vlan \(lan.vlan.map(String.init) ?? "off")"
        }
    }
}

struct IPMIUsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "The BMC's user slots (`user list`).")
    @OptionGroup var options: IPMIOptions
    @Option(help: "Channel.") var channel = 1

    func run() async throws {
        try await options.perform({ tool throws(IPMIError) in try await tool.users(channel: channel) }) { users in
            var table = TextTable(["ID", "NAME", "IPMI", "PRIVILEGE"])
            for user in users {
                table.add([String(user.id), user.name, user.ipmiMessaging ? "yes" : "no", user.privilege])
            }
            return table.render()
        }
    }
}

struct IPMISensorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensors", abstract: "Threshold sensors, with breaches named.")
    @OptionGroup var options: IPMIOptions

    func run() async throws {
        try await options.perform({ tool throws(IPMIError) in try await tool.sensors() }) { sensors in
            var table = TextTable(["SENSOR", "VALUE", "UNIT", "STATUS", "BREACH"])
            for sensor in sensors {
                table.add([
                    sensor.name, sensor.value.map { String($0) } ?? "na", sensor.unit, sensor.status,
                    sensor.breach ?? "-",
                ])
            }
            return table.render()
        }
    }
}

struct IPMISELCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sel", abstract: "The System Event Log (`sel elist`).")
    @OptionGroup var options: IPMIOptions

    func run() async throws {
        try await options.perform({ tool throws(IPMIError) in try await tool.sel() }) { entries in
            entries.map { "\($0.id)  \($0.timestamp)  \($0.sensor)  \($0.event)  \($0.direction)" }.joined(
                separator: "\n")
        }
    }
}

struct IPMIFRUCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fru", abstract: "Board, product and chassis identity (`fru print`).")
    @OptionGroup var options: IPMIOptions
    @Option(help: "FRU device id.") var id = 0

    func run() async throws {
        try await options.perform({ tool throws(IPMIError) in try await tool.fru(id: id) }) { info in
            info.fields.keys.sorted().map { "\($0): \(info.fields[$0]!)" }.joined(separator: "\n")
        }
    }
}

import ArgumentParser
import IPMI

/// `hwautomation ipmi lan-port`: Supermicro's LAN interface (dedicated / shared / failover).
struct IPMILANPortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lan-port",
        abstract: "Read or set which port a Supermicro BMC answers on (dedicated, shared, failover).",
        discussion: """
            Supermicro's OEM LAN interface command (raw 0x30 0x70 0x0c), sent only after `mc info` shows \
            Supermicro's manufacturer ID; any other BMC is refused before a byte is sent. Moving the port can cut \
            the BMC off the network you reach it on: do it in band, or from a network that sees both ports.
            """)
    @OptionGroup var options: IPMIOptions
    @Option(help: ArgumentHelp("Set the port.", valueName: "dedicated|shared|failover")) var set: String?

    func validate() throws {
        if let set, IPMITool.SupermicroLANPort(name: set) == nil {
            throw ValidationError("--set takes dedicated, shared or failover")
        }
    }

    func run() async throws {
        let wanted = set.flatMap { IPMITool.SupermicroLANPort(name: $0) }
        try await options.perform({ tool throws(IPMIError) in
            if let wanted { try await tool.setSupermicroLANPort(wanted) }
            return ["lan_port": try await tool.supermicroLANPort().description]
        }) { "LAN port: \($0["lan_port"]!)" }
    }
}

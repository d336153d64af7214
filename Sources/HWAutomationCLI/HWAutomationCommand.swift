import ArgumentParser

/// `hwautomation`: takes bare-metal servers from "BMC reachable" to "configured and commissioned".
public struct HWAutomationCommand: AsyncParsableCommand {
    /// The tool's name, summary and commands.
    public static let configuration = CommandConfiguration(
        commandName: "hwautomation",
        abstract: "Discover, classify, configure and commission bare-metal servers.",
        discussion: """
            HWAutomation identifies each server as one of your device types, applies that type's BIOS \
            settings and firmware, sets up its BMC, and commissions it in MAAS, as durable workflows.

            The device catalog comes from --config-dir / HWA_CONFIG_DIR (our schema or a legacy \
            hwautomation config directory), or from the catalog built into HWAutomation.
            """,
        version: "0.1.0",
        subcommands: [
            DemoCommand.self, CatalogCommand.self, DiscoverCommand.self, ClassifyCommand.self, RecommendCommand.self,
            BIOSCommand.self, FirmwareCommand.self, DriftCommand.self, ValidateCommand.self,
            IPMICommand.self, BMCCommand.self, WorkflowCommand.self, WorkerCommand.self, ServersCommand.self,
            MAASCommand.self,
            CredentialsCommand.self,
            PoolCommand.self, DBCommand.self, LabCommand.self, BenchCommand.self, ServeCommand.self, TokensCommand.self,
        ]
    )

    /// Creates the command (argument parser).
    public init() {}
}

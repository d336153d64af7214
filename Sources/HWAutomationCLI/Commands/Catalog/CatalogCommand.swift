import ArgumentParser

/// `hwautomation catalog`: the device catalog.
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Inspect, validate and import the device catalog (vendors, boards, device types, BIOS, firmware).",
        subcommands: [
            CatalogListCommand.self, CatalogShowCommand.self, CatalogStatusCommand.self, CatalogValidateCommand.self,
            CatalogImportCommand.self, CatalogProposalsCommand.self,
        ]
    )
}

import ArgumentParser
import Catalog
import Foundation
import Inventory
import Logging
import Orchestration

/// `hwautomation catalog proposals`: device types proposed for unknown hardware.
struct CatalogProposalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proposals",
        abstract: "Device types proposed for unknown hardware, grouped by build; accept one into the catalog.",
        discussion: """
            Stored servers whose newest inventory the catalog does not know (or fits only with low confidence) \
            are grouped by hardware fingerprint (vendor, board, CPU, cores, memory, drives, NIC speeds): one \
            proposal per build, with its servers. The same as GET /api/v1/catalog/proposals.
            """,
        subcommands: [CatalogProposalsListCommand.self, CatalogProposalsAcceptCommand.self],
        defaultSubcommand: CatalogProposalsListCommand.self)
}

/// `hwautomation catalog proposals [list]`.
struct CatalogProposalsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the proposals: id, suggested name, vendor, how many servers, which.")

    @Flag(help: "Print JSON: an array of proposals, each with its entry (device_type, yaml).") var json = false
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        let service = ProposalService(
            store: try await store.open(), catalog: catalog, logger: Logger(label: "hwautomation.proposals"))
        let proposals = try await serving { () async throws(ServiceError) in try await service.list() }
        if json {
            print(try Terminal.json(proposals))
            return
        }
        guard !proposals.isEmpty else {
            print("No proposals: every discovered server fits a catalog type with medium confidence or better.")
            return
        }
        var table = TextTable(["ID", "SUGGESTED NAME", "VENDOR", "COUNT", "CONFIDENCE", "NEAREST", "SERVERS"])
        for proposal in proposals {
            let servers = proposal.servers.prefix(5).map(\.id).joined(separator: ",")
            table.add([
                proposal.id, proposal.suggestedName, proposal.vendor, String(proposal.count),
                proposal.confidence.rawValue, proposal.nearest.first?.deviceType ?? "-",
                servers + (proposal.count > 5 ? ",…" : ""),
            ])
        }
        print(table.render())
        print("\nAccept one with `hwautomation catalog proposals accept ID --name NAME --config-dir DIR`.")
    }
}

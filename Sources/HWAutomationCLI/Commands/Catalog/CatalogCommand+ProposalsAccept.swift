import ArgumentParser
import Catalog
import Foundation
import Logging
import Orchestration

/// `hwautomation catalog proposals accept ID`.
struct CatalogProposalsAcceptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Add a proposal's device type to the catalog in --config-dir.",
        discussion: """
            The entry goes at the end of device_types in vendors/<vendor>.yaml of the config directory (our \
            schema), after the name is checked and the changed catalog loads without errors; nothing partial is \
            written. A config directory that does not exist yet starts as a copy of the built-in catalog. The new \
            type is used from the next start (a running `serve` keeps the catalog it loaded). Audited as \
            catalog.proposal.accept. The same as POST /api/v1/catalog/proposals/{id}/accept.
            """)

    @Argument(help: "The proposal's id (`catalog proposals` lists them).") var id: String
    @Option(
        help: ArgumentHelp("The new type's name (default: the suggested one), e.g. s2.c9.large.", valueName: "name"))
    var name: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions

    func run() async throws {
        let directory = catalogOptions.resolvedDirectory
        // A directory not written yet is created from the built-in catalog, which is then the catalog in use.
        let existing = directory.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0) } ?? []
        let catalog: Catalog
        do {
            catalog = try CatalogLoader.load(directory: existing.isEmpty ? nil : directory).catalog
        } catch {
            Terminal.printDiagnostics(error.diagnostics.filter { $0.severity == .error })
            throw CommandFailure("the catalog in \(directory ?? "<shipped>") has errors; nothing was written.")
        }
        let service = ProposalService(
            store: try await store.open(), catalog: catalog, logger: Logger(label: "hwautomation.proposals"))
        let (id, name) = (self.id, self.name)
        let accepted = try await serving { () async throws(ServiceError) in
            try await service.accept(id, name: name, configDirectory: directory, actor: "cli")
        }
        if json {
            print(try Terminal.json(accepted))
            return
        }
        if accepted.createdCatalog { print("Wrote the built-in catalog to \(directory ?? "-") first.") }
        print(
            "Added \(accepted.name) (\(accepted.vendor), \(accepted.servers.count) server(s)) to \(accepted.file)"
                + (accepted.createdFile ? " (a new vendor file)" : "") + ":")
        print(accepted.yaml, terminator: accepted.yaml.hasSuffix("\n") ? "" : "\n")
        for warning in accepted.warnings { print("warning: \(warning)") }
        print(
            "Active after a restart: commands and `serve` started with --config-dir \(directory ?? "-") classify "
                + accepted.servers.prefix(5).joined(separator: ", ") + (accepted.servers.count > 5 ? ", …" : "")
                + " as \(accepted.name).")
    }
}

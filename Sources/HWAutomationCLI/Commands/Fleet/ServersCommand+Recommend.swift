import ArgumentParser
import Catalog
import Foundation
import Inventory
import Orchestration

/// `servers recommend ID`.
struct ServersRecommendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "The workflow a stored server should get, with why: type, BIOS method, licence, urgent firmware.",
        discussion: """
            From the server's recorded inventory (discovery writes it) and, for firmware, its recorded versions \
            against the repository (--firmware-dir): a security or critical update pending makes it \
            firmware-first-provisioning. The same as GET /api/v1/servers/{id}/recommendation.
            """)

    @Argument(help: "The server's id.") var id: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var repository: FirmwareRepositoryOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        let store = try await self.store.open()
        let service = RecommendationService(store: store, catalog: catalog, library: repository.library)
        let id = self.id
        let answer = try await serving { () async throws(ServiceError) in try await service.recommend(id) }
        if json {
            print(try Terminal.json(answer))
            return
        }
        let recommendation = answer.recommendation
        print("workflow:    \(recommendation.workflow.rawValue)")
        if let type = recommendation.deviceType { print("device type: \(type)") }
        if let method = recommendation.biosMethod { print("bios method: \(method.rawValue)") }
        for reason in recommendation.reasons { print("- \(reason)") }
    }
}

import Catalog
import Foundation
import Lab
import Logging
import Redfish
import Testing

@testable import BIOS

/// A system named by its id is read at the URI Redfish gives it, without the service root and the collection.
@Suite("BIOS discovery of a named system")
struct DirectSystemTests {
    @Test("`system: \"1\"` reads /Systems/1 at once, its Bios expanded in it (no collection); an unknown id falls back")
    func direct() async throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "a1.c5.large"))
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], clock: ManualLabClock())
        try await lab.withServer { port in
            let endpoint = RedfishEndpoint(
                baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password",
                preferSessions: false)
            let named = try RedfishClient(endpoint: endpoint, logger: Logger(label: "bios"))
            try await RedfishBIOS(client: named, logger: Logger(label: "bios"), registries: RegistryCache())
                .discover(system: "1")
            let paths = await named.counters.byPath.keys.map { $0.replacingOccurrences(of: "/bmc/0", with: "") }
            // Expanded (the lab expands any resource one level): the Bios comes with the system, not read again.
            #expect(paths.contains("GET /redfish/v1/Systems/1?$expand=.($levels=1)"), "\(paths)")
            #expect(!paths.contains { $0.hasPrefix("GET /redfish/v1/Systems/1/Bios") }, "\(paths)")
            #expect(
                !paths.contains { $0.hasPrefix("GET /redfish/v1/Systems?") || $0 == "GET /redfish/v1/Systems" },
                "\(paths)")
            await named.close()

            let unknown = try RedfishClient(endpoint: endpoint, logger: Logger(label: "bios"))
            await #expect {
                try await RedfishBIOS(client: unknown, logger: Logger(label: "bios"), registries: RegistryCache())
                    .discover(system: "7")
            } throws: { error in
                "\(error)".contains("no system 7 behind this BMC")
            }
            let fellBack = await unknown.counters.byPath.keys.contains {
                $0.contains("/Systems?") || $0.hasSuffix("/Systems")
            }
            #expect(fellBack, "the collection was read after the 404")
            await unknown.close()
        }
    }
}

import Catalog
import Foundation
import Inventory
import Lab
import Logging
import MAAS
import Orchestration
import Store
import Testing

@Suite("MAAS sync")
struct MAASSyncTests {
    @Test("machines are linked by serial, known by id, imported when new; type tag, status and vanished machines drift")
    func sync() async throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        let servers = (1...3).map { ServerModel(deviceType: type, index: $0) }
        let key = "a:b:c"
        let lab = Lab(servers: servers, maasAPIKey: key, maasOperationSeconds: 0.1)
        let store = InMemoryStore(box: .ephemeral())
        try await lab.withServer { port in
            let client = MAASClient(
                endpoint: try MAASEndpoint(url: Lab.maasURL(port: port), apiKey: key), logger: Logger(label: "sync"))
            let machines = try await client.machines()
            let bySerial = Dictionary(uniqueKeysWithValues: machines.map { ($0.serial ?? "", $0) })
            // A server discovered by us (its inventory has machine 0's serial), never linked to MAAS.
            var inventory = Inventory()
            inventory.system.serial = servers[0].serial
            try await store.upsertServer(
                ServerRecord(
                    id: "web-1", name: "web-1", deviceType: "s2.c2.small", status: "configured",
                    inventory: String(decoding: try JSONEncoder().encode(inventory), as: UTF8.self)))
            // A server we commissioned as s2.c2.medium, whose machine MAAS tags otherwise and has back at New.
            let second = try #require(bySerial[servers[1].serial])
            try await client.ensureTag("hwa-type-s2-c2-small")
            try await client.updateTagNodes("hwa-type-s2-c2-small", add: [second.systemID])
            try await store.upsertServer(
                ServerRecord(
                    id: "db-1", name: "db-1", deviceType: "s2.c2.medium", status: "commissioned",
                    maasSystemID: second.systemID))
            // A server whose machine MAAS no longer has.
            try await store.upsertServer(ServerRecord(id: "old-1", name: "old-1", maasSystemID: "gone42"))

            let rows = try await MAASSync.run(client: client, store: store)
            await client.shutdown()
            let byAction = Dictionary(grouping: rows, by: \.action)
            #expect(byAction["linked"]?.map(\.server) == ["web-1"])
            #expect(byAction["linked"]?.first?.drift == ["MAAS has no hwa-type tag; ours is s2.c2.small"])
            let known = try #require(byAction["known"]?.first)
            #expect(known.server == "db-1")
            #expect(
                known.drift == [
                    "MAAS tags hwa-type-s2-c2-small; ours is s2.c2.medium", "we say commissioned; MAAS says New",
                ])
            let imported = try #require(byAction["imported"]?.first)
            #expect(imported.systemID == bySerial[servers[2].serial]?.systemID)
            #expect(try await store.server(id: try #require(imported.server))?.maasSystemID == imported.systemID)
            #expect(byAction["gone"]?.first?.drift == ["MAAS no longer lists machine gone42"])
            #expect(try await store.server(id: "web-1")?.maasSystemID == bySerial[servers[0].serial]?.systemID)
            // A second sync links nothing new and imports nothing.
            let again = try await MAASSync.run(
                client: MAASClient(
                    endpoint: try MAASEndpoint(url: Lab.maasURL(port: port), apiKey: key), logger: Logger(label: "sync")
                ),
                store: store)
            #expect(Set(again.map(\.action)) == ["known", "gone"])
        }
    }
}

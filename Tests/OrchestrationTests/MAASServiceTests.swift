import Catalog
import Foundation
import Lab
import Logging
import MAAS
import Orchestration
import Store
import Testing

/// The MAAS operations the CLI and the API share: the key checked before anything is sent, the same errors for both.
@Suite("MAAS service")
struct MAASServiceTests {
    @Test("no credential, a credential for another address, plain http: refused before any request, naming why")
    func refusedBeforeSending() async throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        let key = "a:b:c"
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], maasAPIKey: key, maasOperationSeconds: 0.1)
        let store = InMemoryStore(box: .ephemeral())
        try await store.putCredential(
            name: "elsewhere", user: nil, secret: key, kind: "maas",
            scope: try CredentialScope(parsing: ["10.9.9.9"], allowPlainHTTP: true))
        try await store.putCredential(
            name: "https-only", user: nil, secret: key, kind: "maas", scope: try CredentialScope(parsing: ["127.0.0.1"])
        )
        try await lab.withServer { port in
            func failure(_ key: MAASService.Key) async -> ServiceError? {
                let service = MAASService(
                    url: Lab.maasURL(port: port), key: key, store: store, logger: Logger(label: "maas"))
                do {
                    _ = try await service.machines()
                    return nil
                } catch {
                    return error
                }
            }
            let missing = try #require(await failure(.credential("nobody")))
            #expect(missing.kind == .unavailable)
            #expect(missing.message.contains("no stored credential nobody"))
            let elsewhere = try #require(await failure(.credential("elsewhere")))
            #expect(elsewhere.kind == .unavailable)
            #expect(elsewhere.message.contains("credential elsewhere is not for 127.0.0.1"), "\(elsewhere)")
            let plain = try #require(await failure(.credential("https-only")))
            #expect(plain.kind == .unavailable)
            #expect(plain.message.contains("would be sent over plain http"), "\(plain)")
            let malformed = try #require(await failure(.key("only-two:parts")))
            #expect(malformed.kind == .unavailable)
            #expect(try #require(lab.maas).received.isEmpty, "nothing reached MAAS")
            #expect(![missing, elsewhere, plain, malformed].contains { $0.message.contains(key) })
        }
    }

    @Test("machines as summaries, filtered by status; sync links them into the store; a refused key is .upstream")
    func machinesAndSync() async throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        let servers = (1...2).map { ServerModel(deviceType: type, index: $0) }
        let key = "a:b:c"
        let lab = Lab(servers: servers, maasAPIKey: key, maasOperationSeconds: 0.1)
        let store = InMemoryStore(box: .ephemeral())
        try await store.putCredential(name: "lab", user: nil, secret: key, kind: "maas", scope: .loopbackLab)
        try await lab.withServer { port in
            let service = MAASService(
                url: Lab.maasURL(port: port), key: .credential("lab"), store: store, logger: Logger(label: "maas"))
            let machines = try await service.machines()
            #expect(Set(machines.compactMap(\.serial)) == Set(servers.map(\.serial)))
            let status = try #require(machines.first?.status)
            #expect(
                try await service.machines(status: status.uppercased()).count
                    == machines.filter { $0.status == status }.count)
            #expect(try await service.machines(status: "no such status").isEmpty)
            let rows = try await service.sync()
            #expect(rows.map(\.action).sorted() == ["imported", "imported"])
            #expect(try await store.servers().count == 2)
            let refused = MAASService(
                url: Lab.maasURL(port: port), key: .key("x:y:z"), store: nil, logger: Logger(label: "maas"))
            await #expect {
                _ = try await refused.machines()
            } throws: { error in
                (error as? ServiceError)?.kind == .upstream
            }
        }
    }
}

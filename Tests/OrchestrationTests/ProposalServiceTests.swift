import Catalog
import Foundation
import Inventory
import Lab
import Logging
import Orchestration
import Redfish
import Store
import Testing

/// Catalog proposals over servers discovered from the lab's simulated BMCs: grouped by build, accepted into a
/// catalog directory that then classifies them.
@Suite("Catalog proposals")
struct ProposalServiceTests {
    static let shipped = try! CatalogLoader.load(directory: nil).catalog

    /// An unknown build: AMD on a Supermicro board, `memory` GiB and `cores` cores.
    static func build(memory: Int, cores: Int, board: String) -> DeviceType {
        DeviceType(
            name: "lab.unknown", vendor: "supermicro", boards: [board],
            hardware: HardwareSpec(
                cpu: CPUSpec(
                    model: cores == 16 ? "AMD EPYC 7313P" : "AMD EPYC 7443P", sockets: 1, cores: cores,
                    frequencyGHz: 3.0),
                memoryGiB: memory, storage: [DriveGroup(count: 3, sizeGB: 3840, kind: .nvme)],
                network: [NICGroup(count: 2, speedGbps: 100)]))
    }

    /// Stores `servers` as `lab-1`… with the inventory read over Redfish from the lab, a known type's server first.
    static func discovered(_ servers: [ServerModel], into store: any Store) async throws {
        let lab = Lab(servers: servers)
        try await lab.withServer { port in
            for index in servers.indices {
                let client = try RedfishClient(
                    endpoint: RedfishEndpoint(
                        baseURL: Lab.baseURL(port: port, index: index), username: "admin", password: "password"),
                    logger: Logger(label: "proposal-test"))
                let inventory = await RedfishDiscovery(client: client).inventory()
                await client.close()
                #expect(inventory.problems.isEmpty, "\(inventory.problems)")
                let json = String(decoding: try JSONEncoder().encode(inventory), as: UTF8.self)
                try await store.upsertServer(
                    ServerRecord(
                        id: "lab-\(index + 1)", name: "lab-\(index + 1)", status: "discovered", inventory: json))
            }
        }
    }

    @Test(
        "two builds: proposals of 2 and 1; accepted, it classifies them high; a taken or bad name: file unchanged"
    )
    func groupAndAccept() async throws {
        let known = try #require(Self.shipped.deviceType(named: "s2.c2.small"))
        let a = Self.build(memory: 96, cores: 16, board: "H12SSL-i")
        let b = Self.build(memory: 256, cores: 24, board: "H12SSL-NT")
        let servers = [
            ServerModel(deviceType: known, index: 1), ServerModel(deviceType: a, index: 2),
            ServerModel(deviceType: b, index: 3), ServerModel(deviceType: a, index: 4),
        ]
        let store = InMemoryStore(box: .ephemeral())
        try await Self.discovered(servers, into: store)
        let logger = Logger(label: "proposal-test")
        let service = ProposalService(store: store, catalog: Self.shipped, logger: logger)

        let proposals = try await service.list()
        #expect(proposals.map(\.count) == [2, 1], "\(proposals.map { ($0.id, $0.count) })")
        let first = try #require(proposals.first)
        #expect(first.servers.map(\.id) == ["lab-2", "lab-4"])
        #expect(Set(first.servers.compactMap(\.serial)) == [servers[1].serial, servers[3].serial])
        #expect(first.vendor == "supermicro" && first.suggestedName == "proposed.h12ssl-i.c16.m96")
        #expect(first.id.count == 12 && first.fingerprint.hasPrefix(first.id))
        #expect(first.deviceType.hardware.memoryGiB == 96 && first.deviceType.hardware.cpu.cores == 16)
        #expect(first.yaml.contains("proposed.h12ssl-i.c16.m96:"))
        #expect([.none, .low].contains(first.confidence))
        #expect(proposals[1].servers.map(\.id) == ["lab-3"])

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-proposals-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = root.appendingPathComponent("catalog").path

        // A bad name and an existing one are refused before anything is written.
        await #expect {
            _ = try await service.accept(first.id, name: "amd_small", configDirectory: directory, actor: "test")
        } throws: { error in
            (error as? ServiceError)?.kind == .invalid && (error as? ServiceError)?.field == .name
        }
        await #expect {
            _ = try await service.accept(first.id, name: "s2.c2.small", configDirectory: directory, actor: "test")
        } throws: { ($0 as? ServiceError)?.kind == .conflict }
        await #expect {
            _ = try await service.accept("000000000000", name: "a9.c1.large", configDirectory: directory, actor: "t")
        } throws: { ($0 as? ServiceError)?.kind == .notFound }
        await #expect {
            _ = try await service.accept(first.id, name: "a9.c1.large", configDirectory: nil, actor: "test")
        } throws: { ($0 as? ServiceError)?.kind == .unavailable }
        #expect(!FileManager.default.fileExists(atPath: directory), "nothing was written")

        // Accepted: a new directory starts as a copy of the catalog in use, then holds the entry.
        let accepted = try await service.accept(first.id, name: "a9.c1.large", configDirectory: directory, actor: "ops")
        #expect(accepted.createdCatalog && !accepted.createdFile && accepted.activeAfterRestart)
        #expect(accepted.file == directory + "/vendors/supermicro.yaml")
        #expect(accepted.servers == ["lab-2", "lab-4"])
        #expect(accepted.yaml.contains("a9.c1.large:") && accepted.yaml.contains("model: AMD EPYC 7313P"))
        let audit = try await store.auditLog(limit: 5)
        #expect(
            audit.contains {
                $0.action == "catalog.proposal.accept" && $0.actor == "ops" && $0.target == "a9.c1.large"
                    && $0.detail.contains(first.id)
            })

        // Loading that directory (as a restart does): both servers are the new type, with high confidence; only the
        // other build is still proposed.
        let reloaded = try CatalogLoader.load(directory: directory).catalog
        #expect(reloaded.deviceTypes.count == Self.shipped.deviceTypes.count + 1)
        let classifier = Classifier(catalog: reloaded)
        for id in ["lab-2", "lab-4"] {
            let text = try #require(try await store.server(id: id)?.inventory)
            let result = classifier.classify(try JSONDecoder().decode(Inventory.self, from: Data(text.utf8)))
            #expect(result.deviceType == "a9.c1.large" && result.confidence == .high, "\(id): \(result)")
        }
        let after = ProposalService(store: store, catalog: reloaded, logger: logger)
        #expect(try await after.list().map(\.servers.first?.id) == ["lab-3"])

        // The same name again, into the same directory, by a process still on the old catalog: the directory's
        // catalog refuses it, the vendor file byte for byte as it was.
        let file = URL(fileURLWithPath: accepted.file)
        let written = try Data(contentsOf: file)
        let second = try #require(proposals.last)
        await #expect {
            _ = try await service.accept(second.id, name: "a9.c1.large", configDirectory: directory, actor: "ops")
        } throws: { error in
            (error as? ServiceError)?.kind == .conflict
                && (error as? ServiceError)?.message.contains("vendors/supermicro.yaml") == true
        }
        #expect(try Data(contentsOf: file) == written)
        await #expect {
            _ = try await after.accept(second.id, name: "a9..large", configDirectory: directory, actor: "ops")
        } throws: { ($0 as? ServiceError)?.kind == .invalid }
        #expect(try Data(contentsOf: file) == written)
    }
}

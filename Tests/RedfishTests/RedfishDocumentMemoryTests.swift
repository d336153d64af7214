import Catalog
import Foundation
import Inventory
import Lab
import Logging
import Testing

@testable import Redfish

/// A client reuses what it read until it writes; expanded answers fill its memory; a write forgets everything.
@Suite("Redfish client: documents remembered within a run")
struct RedfishDocumentMemoryTests {
    func client(_ port: Int) throws -> RedfishClient {
        try RedfishClient(
            endpoint: RedfishEndpoint(
                baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password",
                timeout: .seconds(30), preferSessions: false),
            logger: Logger(label: "memory"))
    }

    @Test(
        "cached reads once; an expanded collection answers for its members; a PATCH or action forgets; fetch is fresh")
    func memory() async throws {
        let lab = RedfishClientSuite.lab()
        try await lab.withServer { port in
            let client = try client(port)
            // The lab's root says it expands: the Systems collection and its member come in one answer.
            let systems = try await client.members(of: "Systems")
            let afterMembers = await client.requestCount
            #expect(afterMembers == 2, "the root, then Systems expanded")
            let system = try await client.cached(systems[0])
            #expect(system.body["PowerState"].string != nil)
            #expect(await client.requestCount == afterMembers, "the member came inside the expanded answer")
            let bios = try #require(system.body["Bios"]["@odata.id"].string)
            let attributes = try #require(try await client.cached(bios).body["Attributes"].object)
            _ = try await client.cached(bios)
            #expect(await client.requestCount == afterMembers + 1, "read once, remembered")
            // A fresh read always asks the BMC, and what it read is remembered.
            _ = try await client.fetch(bios)
            #expect(await client.requestCount == afterMembers + 2)
            // A write forgets everything read before it: the next cached read asks again.
            let settings = bios + "/Settings"
            let (name, value) = try #require(attributes.sorted { $0.key < $1.key }.first)
            _ = try await client.patch(settings, .object(["Attributes": .object([name: value])]))
            let afterPatch = await client.requestCount
            _ = try await client.cached(bios)
            #expect(await client.requestCount == afterPatch + 1)
            let byPath = await client.counters.byPath
            #expect(byPath["GET " + bios] == 3, "\(byPath)")
            await client.close()

            // A client made without per-path counts (a workflow's) keeps the totals only.
            let totals = try RedfishClient(
                endpoint: RedfishEndpoint(
                    baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password",
                    preferSessions: false),
                logger: Logger(label: "memory"), countingPaths: false)
            _ = try await totals.fetch(bios)
            let counted = await totals.counters
            #expect(counted.requests >= 1 && counted.gets == counted.requests && counted.byPath.isEmpty)
            await totals.close()
        }
    }

    @Test("a singleton read with $expand carries its subordinate resources (a storage controller's drives)")
    func singletonExpand() async throws {
        let lab = RedfishClientSuite.lab()
        try await lab.withServer { port in
            let client = try client(port)
            let system = try await client.cached(try await client.members(of: "Systems")[0]).body
            let storage = try #require(system["Storage"]["@odata.id"].string)
            let controller = try #require(try await client.get(storage)["Members"].array.first?["@odata.id"].string)
            let links = try await client.get(controller)["Drives"].array
            #expect(!links.isEmpty && links.allSatisfy { $0["Id"].string == nil })
            let expanded = try await client.fetch(controller + "?$expand=.($levels=1)").body["Drives"].array
            #expect(expanded.count == links.count)
            #expect(expanded.allSatisfy { $0["Id"].string != nil && $0["CapacityBytes"].double != nil })
            let before = await client.requestCount
            let drive = try await client.cached(try #require(links.first?["@odata.id"].string))
            #expect(drive.body["CapacityBytes"].double != nil)
            #expect(await client.requestCount == before, "the drive came inside its controller's expanded answer")
            await client.close()
        }
    }

    @Test("forgetting all but some schemas keeps those documents and reads the rest again")
    func forgetKeeping() async throws {
        let lab = RedfishClientSuite.lab()
        try await lab.withServer { port in
            let client = try client(port)
            let systemPath = try await client.members(of: "Systems")[0]
            let system = try await client.cached(systemPath).body
            let processors = try #require(system["Processors"]["@odata.id"].string)
            _ = try await client.cached(processors)
            #expect(RedfishDocuments.schema(of: system) == "ComputerSystem")
            await client.forgetDocuments(keeping: ["ComputerSystem", "ComputerSystemCollection"])
            let before = await client.requestCount
            // Kept: the system and the collection it came in.
            #expect(try await client.cached(systemPath).body["Id"] == system["Id"])
            #expect(try await client.members(of: "Systems") == [systemPath])
            #expect(await client.requestCount == before)
            // Forgotten: the processors collection is read again.
            _ = try await client.cached(processors)
            #expect(await client.requestCount == before + 1)
            #expect(await client.counters.byPath["GET " + processors] == 2)
            await client.close()
        }
    }
}

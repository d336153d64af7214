import APIServer
import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

/// Servers, catalog, pools, MAAS: real behaviour and clear 4xx problems for bad input.
@Suite("API resources")
struct APIResourceTests {
    @Test("servers: create, read, change, delete; bad input is a 400 naming the field, nothing written")
    func servers() async throws {
        let fixture = try await APIFixture.make(nodes: 2)
        try await fixture.withServer { _, client, _ in
            let list = try await client.call(.get, "/api/v1/servers", token: fixture.reader)
            #expect(try list.array().map { $0["id"] as? String } == ["node-1", "node-2"])
            #expect(try list.array().allSatisfy { $0["inventory"] == nil })

            let bad: [(String, String)] = [
                (#"{"id":"a b","bmc":"https://10.0.0.1"}"#, "`id`"),
                (#"{"id":"a","bmc":"ftp://x"}"#, "`bmc`"),
                (#"{"id":"a","bmc":"https://admin:s3cret@10.0.0.1"}"#, "`bmc`: the BMC URL carries a user"),
                (#"{"id":"a","bmc":"https://10.0.0.1","credential":"lab"}"#, "`credential`"),
                (#"{"id":"a","tags":"x"}"#, "`tags`"),
                (#"{"id":"a","credential":"nope"}"#, "`credential`"),
                (#"{"name":"a"}"#, "`id`"),
                (#"[1,2"#, "JSON"),
            ]
            for (body, field) in bad {
                let response = try await client.call(.post, "/api/v1/servers", token: fixture.admin, json: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(try response.problem().detail.contains(field), "\(body): \(response.text)")
                #expect(!response.text.contains("s3cret"), "a refusal never echoes a password")
            }
            #expect(try await fixture.store.server(id: "a") == nil)

            let created = try await client.call(
                .post, "/api/v1/servers", token: fixture.admin,
                json: #"{"id":"s1","bmc":"https://127.0.0.1:8443","credential":"lab","tags":["rack-a"]}"#)
            #expect(created.status == .created)
            let again = try await client.call(
                .post, "/api/v1/servers", token: fixture.admin, json: #"{"id":"s1"}"#)
            #expect(again.status == .conflict)
            let patched = try await client.call(
                .patch, "/api/v1/servers/s1", token: fixture.admin, json: #"{"ssh_host":"root@10.0.0.1"}"#)
            #expect(try patched.dictionary()["ssh_host"] as? String == "root@10.0.0.1")
            #expect(try patched.dictionary()["tags"] as? [String] == ["rack-a"])
            #expect(try await fixture.store.server(id: "s1")?.sshHost == "root@10.0.0.1")
            let missing = try await client.call(.get, "/api/v1/servers/nope", token: fixture.reader)
            #expect(missing.status == .notFound)
            #expect(try missing.problem().detail == "no server nope")
            let noInventory = try await client.call(.get, "/api/v1/servers/s1/inventory", token: fixture.reader)
            #expect(noInventory.status == .notFound)
            #expect(try await client.call(.delete, "/api/v1/servers/s1", token: fixture.admin).status == .noContent)
            #expect(try await client.call(.delete, "/api/v1/servers/s1", token: fixture.admin).status == .notFound)
            let unknownRoute = try await client.call(.get, "/api/v1/nothing-here", token: fixture.reader)
            #expect(unknownRoute.status == .notFound)
            #expect(try unknownRoute.problem().status == 404)
        }
    }

    @Test("catalog: device types (by vendor), one type, vendors, status, validate")
    func catalog() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        try await fixture.withServer { _, client, _ in
            let types = try await client.call(.get, "/api/v1/catalog/device-types", token: fixture.reader).array()
            #expect(types.count == fixture.catalog.catalog.deviceTypes.count)
            let hpe = try await client.call(.get, "/api/v1/catalog/device-types?vendor=hpe", token: fixture.reader)
            #expect(try hpe.array().allSatisfy { $0["vendor"] as? String == "hpe" } && !(try hpe.array().isEmpty))
            let badVendor = try await client.call(
                .get, "/api/v1/catalog/device-types?vendor=acme", token: fixture.reader)
            #expect(badVendor.status == .badRequest)
            #expect(try badVendor.problem().detail.contains("`vendor`"))
            let one = try await client.call(.get, "/api/v1/catalog/device-types/a1.c5.large", token: fixture.reader)
            #expect(try one.dictionary()["name"] as? String == "a1.c5.large")
            let none = try await client.call(.get, "/api/v1/catalog/device-types/zz", token: fixture.reader)
            #expect(none.status == .notFound)
            let vendors = try await client.call(.get, "/api/v1/catalog/vendors", token: fixture.reader).array()
            #expect(Set(vendors.compactMap { $0["id"] as? String }).isSuperset(of: ["dell", "hpe", "supermicro"]))
            let status = try await client.call(.get, "/api/v1/catalog/status", token: fixture.reader).dictionary()
            #expect(status["deviceTypes"] as? Int == types.count || status["device_types"] as? Int == types.count)
            let validation = try await client.call(.get, "/api/v1/catalog/validate", token: fixture.reader)
                .dictionary()
            #expect(validation["valid"] as? Bool == true)
            let ready = try await client.call(.get, "/api/v1/ready", token: fixture.reader)
            #expect(ready.status == .ok)
        }
    }

    @Test("pools: define, assign (lowest free, stable), list, release; a bad range is a 400")
    func pools() async throws {
        let fixture = try await APIFixture.make(nodes: 2)
        try await fixture.withServer { _, client, _ in
            let bad = try await client.call(
                .put, "/api/v1/pools/oob", token: fixture.admin, json: #"{"ranges":["10.0.0.300-10.0.0.1"]}"#)
            #expect(bad.status == .badRequest)
            #expect(try bad.problem().detail.contains("`ranges`"))
            let defined = try await client.call(
                .put, "/api/v1/pools/oob", token: fixture.admin,
                json: #"{"ranges":["10.0.0.10-10.0.0.12"],"exclusions":["10.0.0.10"]}"#)
            #expect(defined.status == .ok)
            let first = try await client.call(
                .post, "/api/v1/pools/oob/assignments", token: fixture.admin, json: #"{"server":"node-1"}"#)
            #expect(try first.dictionary()["address"] as? String == "10.0.0.11")
            let same = try await client.call(
                .post, "/api/v1/pools/oob/assignments", token: fixture.admin, json: #"{"server":"node-1"}"#)
            #expect(try same.dictionary()["address"] as? String == "10.0.0.11")
            let unknown = try await client.call(
                .post, "/api/v1/pools/oob/assignments", token: fixture.admin, json: #"{"server":"ghost"}"#)
            #expect(unknown.status == .badRequest)
            // Bodies the document's schema does not take are refused naming the field, before the handler.
            let noServer = try await client.call(
                .post, "/api/v1/pools/oob/assignments", token: fixture.admin, json: "{}")
            #expect(noServer.status == .badRequest)
            #expect(try noServer.problem().detail == "the body has no `server`")
            let noRanges = try await client.call(
                .put, "/api/v1/pools/oob", token: fixture.admin, json: #"{"ranges":[]}"#)
            #expect(try noRanges.problem().detail == "`ranges` must name at least one range")
            let audited = try await client.call(.get, "/api/v1/audit?limit=1", token: fixture.reader).array()
            #expect(audited.first?["action"] as? String == "pool.assign")
            #expect(audited.first?["actor"] as? String == "token admin")
            let list = try await client.call(.get, "/api/v1/pools/oob/assignments", token: fixture.reader).array()
            #expect(list.map { $0["server_id"] as? String } == ["node-1"])
            let released = try await client.call(.delete, "/api/v1/pools/oob/assignments/node-1", token: fixture.admin)
            #expect(released.status == .noContent)
        }
    }

    @Test("MAAS: machines from the region, sync links servers; without a region the routes are 503 problems")
    func maas() async throws {
        let fixture = try await APIFixture.make(nodes: 2)
        try await fixture.withServer { _, client, _ in
            let machines = try await client.call(.get, "/api/v1/maas/machines", token: fixture.reader).array()
            #expect(machines.count == 2)
            #expect(machines.allSatisfy { ($0["system_id"] as? String)?.isEmpty == false })
            let sync = try await client.call(.post, "/api/v1/maas/sync", token: fixture.admin)
            #expect(sync.status == .ok)
            #expect(try sync.array().count >= 2)
        }
    }
}

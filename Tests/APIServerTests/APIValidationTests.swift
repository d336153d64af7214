import APIServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Lab
import Redfish
import Store
import Testing
import WorkflowEngine

/// The validation routes over the lab: who may start one, bad selections as problems naming the field, an untyped
/// server refused, a validation's report per server, the needs-attention list after a fault, and the server's
/// view saying a report exists.
@Suite("API validation")
struct APIValidationTests {
    static let finished: Set<RunState> = [.succeeded, .failed, .cancelled, .waiting]

    @Test("start, report, needs attention over the lab")
    func validateAndReport() async throws {
        let fixture = try await APIFixture.make(nodes: 2)
        try await fixture.withServer { _, client, _ in
            let store = fixture.store
            let denied = try await client.call(
                .post, "/api/v1/validation", token: fixture.reader, json: #"{"all":true}"#)
            #expect(denied.status == .forbidden)
            for (body, status, field) in [
                (#"{}"#, HTTPResponse.Status.badRequest, "`servers`"),
                (#"{"device_type":"no.such.type"}"#, .badRequest, "`device_type`"),
                (#"{"servers":["ghost"]}"#, .notFound, "ghost"),
                (#"{"servers":["node-1"]}"#, .conflict, "no device type is recorded for node-1"),
                (#"{"all":true,"apply":true}"#, .badRequest, "`apply`"),
            ] {
                let answer = try await client.call(
                    .post, "/api/v1/validation", token: fixture.operatorToken, json: body)
                #expect(answer.status == status, "\(body): \(answer.text)")
                #expect(try answer.problem().detail.contains(field), "\(body): \(answer.text)")
            }
            #expect(try await store.workflows(WorkflowFilter()).isEmpty)
            try await fixture.recordLabTypes(0..<2, status: "commissioned")
            #expect(
                try await client.call(.get, "/api/v1/servers/node-1/validation", token: fixture.reader).status
                    == .notFound)
            // Both in the boot mode their types (a1.c5.large and .xlarge: legacy BIOS) want, as their commissioning
            // would have left them; node-2's first drive fails.
            for node in fixture.lab.nodes.prefix(2) {
                #expect(node.withState { $0.changeInSetup("BootMode", to: .string("LegacyBios")) })
            }
            #expect(fixture.lab.nodes[1].withState { $0.setDriveHealth($0.server.drives[0].name, to: "Critical") })
            let started = try await client.call(
                .post, "/api/v1/validation", token: fixture.operatorToken,
                json: #"{"servers":["node-1","node-2"]}"#)
            #expect(started.status == .accepted, "\(started.text)")
            let batch = try #require(try started.dictionary()["batch"] as? String)
            try await eventually("the validation to finish") {
                try await store.workflows(WorkflowFilter(batch: batch)).allSatisfy { Self.finished.contains($0.state) }
            }
            #expect(try await store.workflows(WorkflowFilter(batch: batch)).allSatisfy { $0.state == .succeeded })

            let first = try await client.call(.get, "/api/v1/servers/node-1/validation", token: fixture.reader)
                .dictionary()
            #expect(first["passed"] as? Bool == true, "\(first)")
            let checks = try #require(first["checks"] as? [[String: Any]])
            #expect(checks.count == 9)
            #expect(checks.first { $0["name"] as? String == "drives" }?["result"] as? String == "passed")
            let view = try await client.call(.get, "/api/v1/servers/node-1", token: fixture.reader).dictionary()
            #expect(view["has_validation"] as? Bool == true)
            #expect(view["status"] as? String == "commissioned")

            let attention = try await client.call(.get, "/api/v1/validation", token: fixture.reader).dictionary()
            let reports = try #require(attention["needs_attention"] as? [[String: Any]])
            #expect(reports.map { $0["server_id"] as? String } == ["node-2"])
            let failed = (reports.first?["checks"] as? [[String: Any]])?.filter { $0["result"] as? String == "failed" }
            #expect(failed?.map { $0["name"] as? String } == ["drives"], "\(String(describing: failed))")
            #expect((failed?.first?["detail"] as? String)?.contains("health Critical") == true)
            let server = try await client.call(.get, "/api/v1/servers/node-2", token: fixture.reader).dictionary()
            #expect(server["status"] as? String == "needs-attention")
            let badType = try await client.call(
                .get, "/api/v1/validation?device_type=no.such.type", token: fixture.reader)
            #expect(badType.status == .badRequest)
        }
    }
}

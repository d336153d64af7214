import APIServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Lab
import Store
import Testing
import WorkflowEngine

/// The drift routes over the lab: who may sweep, bad selections as problems naming the field, a sweep's runs and
/// the report they leave, one server's history, the Prometheus gauge, and a dry-run remediation that changes
/// nothing.
@Suite("API drift")
struct APIDriftTests {
    static let finished: Set<RunState> = [.succeeded, .failed, .cancelled, .waiting]

    @Test("sweep, report, history, gauge and a dry-run remediation over the lab")
    func sweepAndReport() async throws {
        let fixture = try await APIFixture.make(nodes: 2)
        let types = fixture.labTypes
        try await fixture.withServer { _, client, _ in
            let store = fixture.store
            try await fixture.recordLabTypes(0..<2)
            let denied = try await client.call(
                .post, "/api/v1/drift/sweep", token: fixture.reader, json: #"{"all":true}"#)
            #expect(denied.status == .forbidden)
            for (body, status, field) in [
                (#"{}"#, HTTPResponse.Status.badRequest, "`servers`"),
                (#"{"all":true,"device_type":"s2.c2.small"}"#, .badRequest, "`servers`"),
                (#"{"device_type":"no.such.type"}"#, .badRequest, "`device_type`"),
                (#"{"servers":["ghost"]}"#, .notFound, "ghost"),
                (#"{"all":true,"tls":"sometimes"}"#, .forbidden, "`tls`"),
            ] {
                let answer = try await client.call(
                    .post, "/api/v1/drift/sweep", token: fixture.operatorToken, json: body)
                #expect(answer.status == status, "\(body): \(answer.text)")
                #expect(try answer.problem().detail.contains(field), "\(body): \(answer.text)")
            }
            #expect(try await store.workflows(WorkflowFilter()).isEmpty)

            let started = try await client.call(
                .post, "/api/v1/drift/sweep", token: fixture.operatorToken, json: #"{"all":true}"#)
            #expect(started.status == .accepted, "\(started.text)")
            let batch = try #require(try started.dictionary()["batch"] as? String)
            try await eventually("the sweep to finish") {
                try await store.workflows(WorkflowFilter(batch: batch)).allSatisfy { Self.finished.contains($0.state) }
            }
            #expect(try await store.workflows(WorkflowFilter(batch: batch)).allSatisfy { $0.state == .succeeded })

            let report = try await client.call(.get, "/api/v1/drift", token: fixture.reader).dictionary()
            let servers = try #require(report["servers"] as? [[String: Any]])
            #expect(servers.map { $0["server_id"] as? String } == ["node-1", "node-2"])
            #expect(servers.allSatisfy { $0["state"] as? String == "drifted" && ($0["bios_drift"] as? Int ?? 0) > 0 })
            // The fixture's repository has no images: firmware is "not compared", never "in sync".
            #expect(servers.allSatisfy { $0["firmware_checked"] as? Bool == false })
            let lines = try #require(report["types"] as? [[String: Any]])
            #expect(Set(lines.compactMap { $0["device_type"] as? String }) == Set(types.prefix(2)))
            let onlyInSync = try await client.call(.get, "/api/v1/drift?state=in_sync", token: fixture.reader)
                .dictionary()
            #expect((onlyInSync["servers"] as? [Any])?.isEmpty == true)
            let badState = try await client.call(.get, "/api/v1/drift?state=fine", token: fixture.reader)
            #expect(badState.status == .badRequest)
            #expect(try badState.problem().detail.contains("`state`"))

            let history = try await client.call(.get, "/api/v1/servers/node-1/drift", token: fixture.reader)
                .dictionary()
            #expect((history["latest"] as? [String: Any])?["state"] as? String == "drifted")
            let settings = try #require((history["latest"] as? [String: Any])?["settings"] as? [[String: Any]])
            #expect(settings.contains { $0["fate"] as? String == "change" && $0["desired"] != nil })
            #expect((history["history"] as? [Any])?.count == 1)
            #expect(
                try await client.call(.get, "/api/v1/servers/ghost/drift", token: fixture.reader).status == .notFound)

            let metrics = try await client.call(.get, "/metrics", token: fixture.reader).text
            #expect(metrics.contains("hwa_drift_servers{device_type=\"\(types[0])\",kind=\"bios\"} 1"), "\(metrics)")
            #expect(metrics.contains("hwa_drift_servers{device_type=\"\(types[0])\",kind=\"in_sync\"} 0"))

            let dry = try await client.call(
                .post, "/api/v1/drift/remediate", token: fixture.operatorToken, json: #"{"servers":["node-1"]}"#)
            #expect(dry.status == .accepted, "\(dry.text)")
            let dryBody = try dry.dictionary()
            #expect(dryBody["dry_run"] as? Bool == true)
            let runs = try #require(dryBody["runs"] as? [[String: Any]])
            #expect(runs.map { $0["definition"] as? String } == ["device-specific-provisioning"])
            let runID = try #require(runs.first?["id"] as? String)
            try await eventually("the dry run to finish") {
                try await store.workflow(id: runID).map { Self.finished.contains($0.state) } ?? false
            }
            #expect(try await store.workflow(id: runID)?.state == .succeeded)
            #expect(fixture.lab.nodes.allSatisfy { $0.withState { $0.counters.patches + $0.counters.resets } == 0 })
            let audit = try await store.auditLog(limit: 20)
            #expect(audit.contains { $0.action == "drift.sweep" && $0.actor == "token operator" })
            #expect(audit.contains { $0.action == "drift.remediate.dry-run" })
        }
    }
}

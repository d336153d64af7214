import APIServer
import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import WorkflowEngine

/// Workflows through the API against the lab: a batch to the end, filters and paging, cancel, resume.
@Suite("API workflows")
struct APIWorkflowTests {
    static let finished: Set<RunState> = [.succeeded, .failed, .cancelled, .waiting]

    @Test("a batch started over the API runs to the end; list filters and pages; show and events tell the story")
    func batch() async throws {
        let fixture = try await APIFixture.make(nodes: 3)
        try await fixture.withServer { _, client, _ in
            let started = try await client.call(
                .post, "/api/v1/workflows", token: fixture.admin,
                json: #"{"definition":"intelligent-commissioning","servers":["node-1","node-2","node-3"]}"#)
            #expect(started.status == .accepted, "\(started.text)")
            let runs = try started.array()
            #expect(runs.count == 3)
            let batch = try #require(runs.first?["batch"] as? String)
            let ids = runs.compactMap { $0["id"] as? String }
            let store = fixture.store
            try await eventually("the batch to finish") {
                try await store.workflows(WorkflowFilter(batch: batch)).allSatisfy { Self.finished.contains($0.state) }
            }
            let records = try await store.workflows(WorkflowFilter(batch: batch))
            #expect(
                records.allSatisfy { $0.state == .succeeded }, "\(records.map { "\($0.state) \($0.reason ?? "")" })")
            #expect(try await store.server(id: "node-1")?.status == "commissioned")

            let page = try await client.call(
                .get, "/api/v1/workflows?batch=\(batch)&limit=2&offset=1", token: fixture.reader
            ).dictionary()
            #expect(page["total"] as? Int == 3)
            #expect((page["items"] as? [Any])?.count == 2)
            let succeeded = try await client.call(
                .get, "/api/v1/workflows?state=succeeded&server=node-2", token: fixture.reader
            ).dictionary()
            #expect(succeeded["total"] as? Int == 1)
            let badState = try await client.call(.get, "/api/v1/workflows?state=done", token: fixture.reader)
            #expect(badState.status == .badRequest)
            #expect(try badState.problem().detail.contains("`state`"))
            let badLimit = try await client.call(.get, "/api/v1/workflows?limit=0", token: fixture.reader)
            #expect(try badLimit.problem().detail.contains("`limit`"))

            let show = try await client.call(.get, "/api/v1/workflows/\(ids[0])", token: fixture.reader).dictionary()
            let steps = try #require(show["steps"] as? [[String: Any]])
            #expect(steps.map { $0["name"] as? String }.first == "discover")
            #expect(steps.allSatisfy { ["succeeded", "skipped"].contains($0["state"] as? String ?? "") })
            let events = try await client.call(
                .get, "/api/v1/workflows/\(ids[0])/events", token: fixture.reader
            ).array()
            #expect(events.first?["kind"] as? String == "workflow.created")
            #expect(events.last?["kind"] as? String == "workflow.succeeded")

            let inventory = try await client.call(.get, "/api/v1/servers/node-1/inventory", token: fixture.reader)
            #expect(inventory.status == .ok)
            let classification = try await client.call(
                .get, "/api/v1/servers/node-1/classification", token: fixture.reader
            ).dictionary()
            #expect(classification["device_type"] as? String == fixture.labTypes[0])
            #expect(try await store.server(id: "node-1")?.deviceType == fixture.labTypes[0])
            #expect(!((classification["reasons"] as? [Any]) ?? []).isEmpty)
            let plan = try await client.call(.get, "/api/v1/servers/node-1/bios/plan", token: fixture.reader)
            #expect(plan.status == .ok)
            #expect(try plan.dictionary()["workflow_id"] as? String == ids[0])
            let history = try await client.call(.get, "/api/v1/servers/node-1/workflows", token: fixture.reader)
            #expect(try history.array().count == 1)

            // Metrics: workflows by state, step durations, Redfish requests per vendor, BMC changes in progress.
            let vendor = try #require(fixture.catalog.catalog.deviceType(named: fixture.labTypes[0])?.vendor)
            try await eventually("Redfish usage and step durations in /metrics") {
                let text = try await client.call(.get, "/metrics", token: fixture.reader).text
                return text.contains("hwa_redfish_requests_total{vendor=\"\(vendor)\"}")
                    && text.contains("hwa_step_duration_seconds_bucket{")
            }
            let metrics = try await client.call(.get, "/metrics", token: fixture.reader)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains("hwa_workflows{state=\"succeeded\"} 3"))
            #expect(metrics.text.contains("hwa_bmc_changes_in_progress 0"))
            #expect(metrics.text.contains("hwa_redfish_errors_total{vendor=\"\(vendor)\"}"))
            #expect(metrics.text.contains("hwa_http_requests_total{"))
            #expect(metrics.text.contains("step=\"apply-bios\""))

            let late = try await client.call(.post, "/api/v1/workflows/\(ids[0])/cancel", token: fixture.admin)
            #expect(late.status == .conflict)
            let audit = try await store.auditLog(limit: 20)
            #expect(audit.contains { $0.action == "workflow.start" && $0.actor == "token admin" && $0.target == batch })
        }
    }

    @Test("bad starts are 400 problems naming the field, and create nothing")
    func badStarts() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        try await fixture.withServer { _, client, _ in
            let cases: [(String, String)] = [
                (#"{"servers":["node-1"]}"#, "`definition`"),
                (#"{"definition":"firmware-first","servers":["node-1"]}"#, "`definition`"),
                (#"{"definition":"intelligent-commissioning"}"#, "`servers`"),
                (#"{"definition":"intelligent-commissioning","servers":[]}"#, "`servers`"),
                (#"{"definition":"intelligent-commissioning","servers":["node-1","ghost"]}"#, "`servers[1]`"),
                (#"{"definition":"device-specific-provisioning","servers":["node-1"]}"#, "`device_type`"),
                (
                    #"{"definition":"device-specific-provisioning","servers":["node-1"],"device_type":"zz"}"#,
                    "`device_type`"
                ),
                (#"{"definition":"intelligent-commissioning","servers":["node-1"],"tls":"maybe"}"#, "`tls`"),
                (#"{"definition":"intelligent-commissioning","servers":"node-1"}"#, "`servers`"),
            ]
            for (body, field) in cases {
                let response = try await client.call(.post, "/api/v1/workflows", token: fixture.admin, json: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(try response.problem().detail.contains(field), "\(body): \(response.text)")
            }
            #expect(try await fixture.store.workflows(WorkflowFilter()).isEmpty)
            let missing = try await client.call(.post, "/api/v1/workflows/nope/cancel", token: fixture.admin)
            #expect(missing.status == .notFound)
        }
    }

    @Test("a run waiting for a decision is resumed with a device type; a run in progress is cancelled")
    func resumeAndCancel() async throws {
        let fixture = try await APIFixture.make(nodes: 1, unknown: 1, postSeconds: 600)
        try await fixture.withServer { _, client, _ in
            let store = fixture.store
            // node-2 is a server no catalog type describes: it waits for a person.
            let unknown = try await client.call(
                .post, "/api/v1/servers/node-2/discover", token: fixture.admin, json: "{}")
            #expect(unknown.status == .accepted)
            let waitingID = try #require(try unknown.array().first?["id"] as? String)
            try await eventually("the unknown server to wait") {
                try await store.workflow(id: waitingID)?.state == .waiting
            }
            let badResume = try await client.call(
                .post, "/api/v1/workflows/\(waitingID)/resume", token: fixture.admin, json: #"{"device_type":"zz"}"#)
            #expect(badResume.status == .badRequest)
            let type = try #require(
                fixture.catalog.catalog.sortedDeviceTypes(vendor: "supermicro").first { $0.origin == .unified }?.name)
            let resumed = try await client.call(
                .post, "/api/v1/workflows/\(waitingID)/resume", token: fixture.admin,
                json: #"{"device_type":"\#(type)"}"#)
            #expect(resumed.status == .accepted, "\(resumed.text)")
            try await eventually("the resumed dry run to finish") {
                try await store.workflow(id: waitingID)?.state == .succeeded
            }
            #expect(try await store.workflow(id: waitingID)?.input.contains(type) == true)

            // node-1's host takes 600 s to come back after its reset: cancel it while apply-bios waits.
            let started = try await client.call(
                .post, "/api/v1/servers/node-1/bios/apply", token: fixture.admin, json: "{}")
            let runID = try #require(try started.array().first?["id"] as? String)
            try await eventually("apply-bios to start") {
                try await store.steps(workflowID: runID).contains { $0.name == "apply-bios" && $0.state == .running }
            }
            let cancelled = try await client.call(.post, "/api/v1/workflows/\(runID)/cancel", token: fixture.admin)
            #expect(cancelled.status == .accepted)
            try await eventually("the run to be cancelled") {
                try await store.workflow(id: runID)?.state == .cancelled
            }
        }
    }

    @Test(
        "resume of a run this server drives is refused naming the owner; cancel stops it; resume then drives it again")
    func resumeWhileDrivenThenCancel() async throws {
        let fixture = try await APIFixture.make(nodes: 1, postSeconds: 600)
        try await fixture.withServer { server, client, _ in
            let store = fixture.store
            // node-1's host takes 600 s to come back after its reset: apply-bios stays in progress.
            let started = try await client.call(
                .post, "/api/v1/servers/node-1/bios/apply", token: fixture.admin, json: "{}")
            let runID = try #require(try started.array().first?["id"] as? String)
            try await eventually("apply-bios to start") {
                try await store.steps(workflowID: runID).contains { $0.name == "apply-bios" && $0.state == .running }
            }
            #expect(server.engine.isDriving(runID))
            let busy = try await client.call(.post, "/api/v1/workflows/\(runID)/resume", token: fixture.admin)
            #expect(busy.status == .conflict, "\(busy.text)")
            #expect(
                try busy.problem().detail
                    == "workflow \(runID) is running under \(server.engine.owner); cancel it first or wait")
            #expect(
                try await store.steps(workflowID: runID).first { $0.name == "apply-bios" }?.attempt == 1,
                "no second driver started the step again")

            let cancelled = try await client.call(.post, "/api/v1/workflows/\(runID)/cancel", token: fixture.admin)
            #expect(cancelled.status == .accepted)
            try await eventually("the run to be cancelled and its driver gone") {
                try await store.workflow(id: runID)?.state == .cancelled && !server.engine.isDriving(runID)
            }
            #expect(try await store.workflow(id: runID)?.cancelRequested == true)

            let resumed = try await client.call(.post, "/api/v1/workflows/\(runID)/resume", token: fixture.admin)
            #expect(resumed.status == .accepted, "\(resumed.text)")
            #expect(try await store.workflow(id: runID)?.cancelRequested == false)
            try await eventually("the resumed run to start apply-bios again") {
                try await store.steps(workflowID: runID).first { $0.name == "apply-bios" }?.attempt == 2
            }
            let resumedRun = try #require(try await store.workflow(id: runID))
            #expect(![.cancelled, .failed].contains(resumedRun.state), "\(resumedRun.reason ?? "")")
            #expect(resumedRun.cancelRequested == false)
        }
    }

    @Test("a graceful shutdown leaves a running workflow as stored (running, resumable), not cancelled")
    func shutdownKeepsRuns() async throws {
        let fixture = try await APIFixture.make(nodes: 1, postSeconds: 600)
        let store = fixture.store
        let runID = try await fixture.withServer { _, client, _ in
            let started = try await client.call(
                .post, "/api/v1/servers/node-1/bios/apply", token: fixture.admin, json: "{}")
            let runID = try #require(try started.array().first?["id"] as? String)
            try await eventually("apply-bios to start") {
                try await store.steps(workflowID: runID).contains { $0.name == "apply-bios" && $0.state == .running }
            }
            return runID
        }
        // The live test shut the server down gracefully on the way out.
        let run = try #require(try await store.workflow(id: runID))
        #expect(run.state == .running)
        #expect(
            try await store.events(workflowID: runID, after: 0, limit: 1000).allSatisfy {
                $0.kind != .workflowCancelled
            })
    }
}

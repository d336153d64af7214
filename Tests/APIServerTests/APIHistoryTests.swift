import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Store
import Testing
import WorkflowEngine

@testable import APIServer

/// History at scale through the API: pages and totals from the store, a bounded SSE catch-up, event retention.
@Suite("API history")
struct APIHistoryTests {
    /// Stores `count` runs W001… (one a second, newest last; every fourth a firmware run, every fifth failed).
    static func storeRuns(_ store: any Store, count: Int) async throws {
        for index in 1...count {
            let id = String(format: "W%03d", index)
            let created = Date(timeIntervalSince1970: 1_800_000_000 + Double(index))
            var run = WorkflowRecord(
                id: id, definition: index % 4 == 0 ? "firmware-update" : "intelligent-commissioning", version: 1,
                serverID: index % 2 == 0 ? "node-2" : "node-1", created: created, updated: created)
            _ = try await store.createWorkflow(
                run, steps: [], event: EventRecord(workflowID: id, kind: .workflowCreated, message: ""))
            run.state = index % 5 == 0 ? .failed : .succeeded
            _ = try await store.record(
                workflow: run, step: nil, event: EventRecord(workflowID: id, kind: .workflowSucceeded, message: ""))
        }
    }

    @Test("GET /workflows pages in the store: offset, limit and total, filtered by state, server and definition")
    func pages() async throws {
        let fixture = try await APIFixture.make(nodes: 2)
        try await Self.storeRuns(fixture.store, count: 40)
        try await fixture.withServer { _, client, _ in
            let page = try await client.call(.get, "/api/v1/workflows?limit=10&offset=5", token: fixture.reader)
            #expect(page.status == .ok)
            let body = try page.dictionary()
            #expect(body["total"] as? Int == 40 && body["limit"] as? Int == 10 && body["offset"] as? Int == 5)
            let ids = (body["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids == (26...35).reversed().map { String(format: "W%03d", $0) })

            let firmware = try await client.call(
                .get, "/api/v1/workflows?definition=firmware-update&limit=3&offset=1", token: fixture.reader)
            let firmwareBody = try firmware.dictionary()
            #expect(firmwareBody["total"] as? Int == 10)
            #expect(
                (firmwareBody["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                    == ["W036", "W032", "W028"])

            let failedOnTwo = try await client.call(
                .get, "/api/v1/workflows?state=failed&server=node-2&definition=intelligent-commissioning",
                token: fixture.reader)
            let failedBody = try failedOnTwo.dictionary()
            // Failed (multiple of 5), on node-2 (even), not firmware (not a multiple of 4): 10, 30.
            #expect(failedBody["total"] as? Int == 2)
            #expect(
                (failedBody["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } == ["W030", "W010"])

            let beyond = try await client.call(.get, "/api/v1/workflows?offset=100", token: fixture.reader)
            let beyondBody = try beyond.dictionary()
            #expect(beyondBody["total"] as? Int == 40 && (beyondBody["items"] as? [Any])?.isEmpty == true)
            let badOffset = try await client.call(.get, "/api/v1/workflows?offset=-1", token: fixture.reader)
            #expect(badOffset.status == .badRequest)
            #expect(try badOffset.problem().detail.contains("offset"))

            let metrics = try await client.call(.get, "/metrics", token: fixture.reader)
            #expect(metrics.text.contains(#"hwa_workflows{state="failed"} 8"#), "\(metrics.text.prefix(2000))")
            #expect(metrics.text.contains(#"hwa_workflows{state="succeeded"} 32"#))
        }
    }

    @Test(
        "an SSE client far behind gets a truncated notice and the newest 1,000 events; one run's stream gets them all")
    func boundedCatchUp() async throws {
        let fixture = try await APIFixture.make(nodes: 1)
        let store = fixture.store
        let id = "W-long"
        _ = try await store.createWorkflow(
            WorkflowRecord(id: id, definition: "d", version: 1, serverID: "node-1"), steps: [],
            event: EventRecord(workflowID: id, kind: .workflowCreated, message: ""))
        for index in 0..<1_249 {
            _ = try await store.record(
                workflow: nil, step: nil,
                event: EventRecord(workflowID: id, step: "a", kind: .stepProgress, message: "p\(index)"))
        }
        let latest = try await store.latestEventSeq()
        #expect(latest == 1_250)
        try await fixture.withServer { _, client, _ in
            let port = try #require(client.port)
            let behind = try await EventStreamTests.read(port: port, lastEventID: 0, token: fixture.reader) {
                $0.count >= 1_001
            }
            let notice = try #require(behind.first)
            #expect(notice.object["kind"] == "stream.truncated" && notice.id == latest - 1_000)
            #expect(notice.object["message"]?.contains("reload") == true)
            let events = behind.dropFirst()
            #expect(events.map(\.id) == Array((latest - 999)...latest))
            #expect(events.allSatisfy { $0.object["workflow_id"] == id })

            // Within the bound: no notice, every event after the given one.
            let near = try await EventStreamTests.read(port: port, lastEventID: latest - 10, token: fixture.reader) {
                $0.count >= 10
            }
            #expect(near.map(\.id) == Array((latest - 9)...latest))

            // One workflow's stream catches up on that run's whole history.
            let run = try await EventStreamTests.read(
                port: port, query: "?workflow=\(id)&after=0", lastEventID: nil, token: fixture.reader
            ) { $0.count >= 1_250 }
            #expect(run.map(\.id) == Array(1...latest))
        }
    }

    @Test("event retention parses days, hours and minutes; anything else is refused naming the option")
    func retentionParsing() throws {
        #expect(try EventRetention(parsing: "30d").seconds == 30 * 86_400)
        #expect(try EventRetention(parsing: "12h").seconds == 12 * 3_600)
        #expect(try EventRetention(parsing: "90m").seconds == 90 * 60)
        #expect(try EventRetention(parsing: " 7D ").description == "7d")
        #expect(try EventRetention(parsing: "30d").interval == .seconds(3_600))
        #expect(try EventRetention(parsing: "5m").interval == .seconds(60))
        for bad in ["", "30", "d", "0d", "-1d", "1.5d", "30s", "30 d", "1w", "3651d", "+3d", "٣d"] {
            #expect(throws: EventRetention.ParseError.self, "\(bad)") {
                _ = try EventRetention(parsing: bad, option: "--event-retention")
            }
        }
        do {
            _ = try EventRetention(parsing: "soon", option: "--event-retention")
            Issue.record("`soon` was accepted")
        } catch {
            #expect(error.description.contains("--event-retention") && error.description.contains("`soon`"))
        }
    }

    @Test("the pruner deletes the progress events of runs finished longer ago than the retention")
    func pruner() async throws {
        let store = InMemoryStore(box: .ephemeral())
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for (id, finishedAgo, state) in [
            ("old", 3 * 86_400.0, RunState.succeeded), ("new", 3_600.0, .succeeded), ("open", 3 * 86_400.0, .running),
        ] {
            var run = WorkflowRecord(id: id, definition: "d", version: 1, serverID: "s")
            _ = try await store.createWorkflow(
                run, steps: [], event: EventRecord(workflowID: id, kind: .workflowCreated, message: ""))
            run.state = state
            run.updated = now.addingTimeInterval(-finishedAgo)
            for _ in 0..<3 {
                _ = try await store.record(
                    workflow: run, step: nil,
                    event: EventRecord(workflowID: id, step: "a", kind: .stepProgress, message: ""))
            }
        }
        var logger = Logger(label: "pruner-test")
        logger.logLevel = .critical
        let pruner = EventPruner(
            store: store, retention: try EventRetention(parsing: "2d"), logger: logger, now: { now })
        #expect(await pruner.prune() == 3)
        #expect(try await store.events(workflowID: "old", after: 0, limit: 10).map(\.kind) == [.workflowCreated])
        #expect(try await store.events(workflowID: "new", after: 0, limit: 10).count == 4)
        #expect(try await store.events(workflowID: "open", after: 0, limit: 10).count == 4)
        #expect(await pruner.prune() == 0)
    }
}

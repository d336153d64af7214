import Foundation
import TestSupport
import Testing

/// `hwautomation bench api` over a small SQLite history, and `serve --event-retention`'s checks.
@Suite("hwautomation bench api")
struct BenchAPITests {
    @Test("200 runs, 2,000 events: every figure is reported (timings are not judged here)")
    func smallHistory() async throws {
        let result = try await CLI.run(
            ["bench", "api", "--runs", "200", "--events", "2000", "--tries", "2", "--json"], timeout: .seconds(120))
        #expect(result.exitCode == 0, "\(result.stderr)")
        let report = try #require(try CLI.json(result.stdout) as? [String: Any], "\(result.stdout)\n\(result.stderr)")
        #expect(report["benchmark"] as? String == "api" && report["store"] as? String == "sqlite")
        #expect(report["runs"] as? Int == 200 && report["events"] as? Int == 2000 && report["servers"] as? Int == 2)
        for key in ["fill_seconds", "target_ms", "dashboard_target_ms", "targets_met", "peak_rss_mb", "tries"] {
            #expect(report[key] != nil, "\(key)")
        }
        let endpoints = try #require(report["endpoints"] as? [String: [String: Any]])
        #expect(
            Set(endpoints.keys) == [
                "list_first_page", "list_deep_page", "list_by_state", "list_by_state_deep_page", "list_by_server",
                "list_by_batch", "list_by_definition", "server_detail", "server_workflows", "server_bios_plan",
                "workflow_detail",
                "workflow_events", "metrics",
            ])
        for (name, timing) in endpoints {
            for key in ["first_ms", "p50_ms", "p99_ms", "max_ms", "paths", "statuses"] {
                #expect(timing[key] != nil, "\(name).\(key)")
            }
        }
        #expect(endpoints["list_first_page"]?["statuses"] as? [Int] == [200])
        #expect(endpoints["server_detail"]?["statuses"] as? [Int] == [200, 404, 404, 404, 200])
        let stream = try #require(report["sse_catch_up"] as? [String: Any])
        // 2,000 events stored, a client from event 0: the newest 1,000 after a truncated notice.
        #expect(stream["events"] as? Int == 1000 && stream["truncated"] as? Bool == true)
        #expect(stream["bound"] as? Int == 1000 && stream["first_event_ms"] != nil && stream["p50_ms"] != nil)
        let prune = try #require(report["prune"] as? [String: Any])
        #expect(prune["events_stored"] as? Int == 2000 && prune["milliseconds"] != nil)
        #expect((prune["pruned"] as? Int ?? 0) > 0 && prune["finished_before"] is String)
        #expect(report["dashboard"] is NSNull || report["dashboard"] == nil)
    }

    @Test("bench api and serve refuse bad options, naming them")
    func refusals() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-bench-api-\(UUID())")
        defer { try? FileManager.default.removeItem(at: state) }
        let environment = ["HWA_STATE_DIR": state.path]
        for retention in ["30", "1w", "0d", "soon"] {
            let refused = try await CLI.run(["serve", "--event-retention", retention], environment: environment)
            #expect(refused.exitCode != 0, "\(retention)")
            #expect(refused.stderr.contains("--event-retention") && refused.stderr.contains(retention))
        }
        let store = try await CLI.run(["bench", "api", "--store", "mysql"], environment: environment)
        #expect(store.exitCode != 0 && store.stderr.contains("--store must be sqlite or postgres"))
        let runs = try await CLI.run(["bench", "api", "--runs", "0"], environment: environment)
        #expect(runs.exitCode != 0 && runs.stderr.contains("--runs"))
        let password = try await CLI.run(
            ["bench", "api", "--store", "postgres", "--db", "postgres://u:pw@127.0.0.1:1/db"], environment: environment)
        #expect(password.exitCode != 0 && password.stderr.contains("must not carry a password"))
        #expect(!password.stderr.contains("pw@"))
    }
}

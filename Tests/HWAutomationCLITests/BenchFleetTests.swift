import Foundation
import TestSupport
import Testing

/// `hwautomation bench fleet` with the lab in a process of its own (the default) and in process.
@Suite("hwautomation bench fleet")
struct BenchFleetTests {
    @Test("3 nodes, lab out of process: every figure reported and sane (timings not judged), the lab stopped")
    func outOfProcess() async throws {
        let result = try await CLI.run(
            ["bench", "fleet", "--nodes", "3", "--latency-ms", "0", "--post-seconds", "0", "--json"],
            timeout: .seconds(300))
        #expect(result.exitCode == 0, "\(result.stderr)")
        let report = try #require(try CLI.json(result.stdout) as? [String: Any], "\(result.stdout)\n\(result.stderr)")
        #expect(report["benchmark"] as? String == "fleet" && report["lab"] as? String == "separate process")
        #expect(report["nodes"] as? Int == 3 && report["succeeded"] as? Int == 3, "\(report)")
        for key in [
            "one_node_seconds", "fleet_seconds", "ratio", "node_wall_p50_seconds", "node_wall_p99_seconds",
            "our_cpu_seconds_total", "lab_cpu_seconds", "lab_cpu_ms_per_node", "peak_rss_mb", "one_node_requests",
        ] {
            #expect((report[key] as? Double ?? -1) >= 0, "\(key): \(report[key] ?? "absent")")
        }
        // Our process did work of its own; so did the lab's, measured apart from ours.
        #expect((report["our_cpu_seconds"] as? Double ?? 0) > 0 && (report["our_cpu_ms_per_node"] as? Double ?? 0) > 0)
        #expect((report["lab_cpu_seconds_total"] as? Double ?? 0) > 0, "\(report)")
        #expect((report["peak_rss_mb"] as? Double ?? 0) > 0)
        // The built-in catalog's first types need BIOS changes: one reset per node, and requests of every kind the
        // pipeline sends.
        #expect(report["resets_per_node"] as? Double == 1, "\(report)")
        #expect((report["requests_per_node"] as? Double ?? 0) > 0)
        let methods = try #require(report["requests_per_node_by_method"] as? [String: Double])
        #expect((methods["GET"] ?? 0) > 0 && (methods["PATCH"] ?? 0) >= 1 && (methods["POST"] ?? 0) >= 1, "\(methods)")
        #expect(methods["DELETE"] != nil)
        #expect(abs(methods.values.reduce(0, +) - (report["requests_per_node"] as? Double ?? 0)) < 0.05)
        // The lab child ended when asked (SIGTERM, graceful), and is gone.
        #expect(report["lab_exit"] as? String == "exit code 0", "\(report)")
        let pid = try #require(report["lab_pid"] as? Int)
        #expect(kill(pid_t(pid), 0) == -1 && errno == ESRCH, "lab process \(pid) still exists")
    }

    @Test("--in-process: the same figures without the lab's CPU; the readable form names every figure")
    func inProcessAndReadable() async throws {
        let inProcess = try await CLI.run(
            ["bench", "fleet", "--nodes", "2", "--latency-ms", "0", "--post-seconds", "0", "--in-process", "--json"],
            timeout: .seconds(300))
        #expect(inProcess.exitCode == 0, "\(inProcess.stderr)")
        let report = try #require(try CLI.json(inProcess.stdout) as? [String: Any], "\(inProcess.stdout)")
        #expect(report["lab"] as? String == "in-process" && report["succeeded"] as? Int == 2, "\(report)")
        #expect(report["lab_cpu_seconds"] == nil && report["lab_pid"] == nil)
        #expect((report["requests_per_node"] as? Double ?? 0) > 0 && report["resets_per_node"] as? Double == 1)

        let readable = try await CLI.run(
            ["bench", "fleet", "--nodes", "2", "--latency-ms", "0", "--post-seconds", "0"], timeout: .seconds(300))
        #expect(readable.exitCode == 0, "\(readable.stderr)")
        for label in [
            "one node alone", "fleet (N-1 at once)", "wall per node", "our CPU", "lab CPU", "requests per node",
            "resets per node", "our peak RSS", "lab process",
        ] {
            #expect(readable.stdout.contains(label), "\(label) missing from:\n\(readable.stdout)")
        }
    }

    @Test("bench fleet refuses bad options, naming them")
    func refusals() async throws {
        let nodes = try await CLI.run(["bench", "fleet", "--nodes", "1"])
        #expect(nodes.exitCode != 0 && nodes.stderr.contains("--nodes"))
        let latency = try await CLI.run(["bench", "fleet", "--latency-ms=-1"])
        #expect(latency.exitCode != 0 && latency.stderr.contains("--latency-ms"))
    }
}

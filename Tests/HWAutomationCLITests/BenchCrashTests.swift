import Foundation
import TestSupport
import Testing

/// `hwautomation bench crash`: a small campaign of real worker processes, SIGKILLed at random moments and at crash
/// points, over the embedded store.
@Suite("hwautomation bench crash")
struct BenchCrashTests {
    @Test(
        "4 servers, 6 kills, SQLite: every run ends, no BMC changed twice, no event lost, every server as the store says"
    )
    func smallCampaign() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await CLI.run(
            [
                "bench", "crash", "--nodes", "4", "--kills", "6", "--seed", "7", "--kill-delay", "2",
                "--post-seconds", "0.2", "--db", folder.appendingPathComponent("crash.sqlite").path, "--key-file",
                folder.appendingPathComponent("crash.key").path, "--timeout-seconds", "100", "--json",
            ],
            timeout: .seconds(110))
        let report = try #require(try CLI.json(result.stdout) as? [String: Any], "\(result.stdout)\n\(result.stderr)")
        let findings = report["findings"] as? [String] ?? []
        #expect(result.exitCode == 0, "\(findings)\n\(result.stderr)")
        // Both batches, every server: each run ended, succeeded or failed (a failure under injected faults is
        // allowed; a run left waiting or unfinished is not).
        #expect(report["runs"] as? Int == 8)
        #expect((report["succeeded"] as? Int ?? 0) + (report["failed"] as? Int ?? 0) == 8, "\(report)")
        #expect(report["waiting"] as? Int == 0, "\(findings)")
        #expect(report["unfinished"] as? Int == 0, "\(findings)")
        for figure in [
            "duplicate_patches", "duplicate_resets", "duplicate_flashes", "duplicate_bmc_changes", "lost_events",
            "wrong_final_state",
        ] {
            #expect(report[figure] as? Int == 0, "\(figure): \(findings)")
        }
        // The campaign killed: the workers were restarted after each kill.
        let kills = report["kills"] as? Int ?? 0
        #expect(kills >= 1 && kills <= 6, "\(report)")
        #expect(report["restarts"] as? Int == kills)
        #expect(report["seed"] as? Int == 7)
    }
}

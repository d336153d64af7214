import Foundation
import TestSupport
import Testing

/// `hwautomation serve` refuses, before it listens, what would expose tokens: plain HTTP beyond loopback.
@Suite("serve command")
struct ServeCommandTests {
    @Test("plain HTTP on a non-loopback address is refused without --insecure-http; TLS files come in pairs")
    func refusals() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let environment = ["HWA_STATE_DIR": state.path]
        for listen in ["0.0.0.0:8080", "10.1.2.3:8080", "[::]:8080", "example.com:8080"] {
            let refused = try await CLI.run(["serve", "--listen", listen], environment: environment)
            #expect(refused.exitCode != 0, "\(listen)")
            #expect(refused.stderr.contains("not a loopback address") && refused.stderr.contains("--tls-cert"))
        }
        let half = try await CLI.run(["serve", "--tls-cert", "/nonexistent.pem"], environment: environment)
        #expect(half.exitCode != 0 && half.stderr.contains("--tls-cert and --tls-key together"))
        let rate = try await CLI.run(["serve", "--rate-limit", "-1"], environment: environment)
        #expect(rate.exitCode != 0 && rate.stderr.contains("--rate-limit"))
        let missing = try await CLI.run(
            ["serve", "--listen", "0.0.0.0:0", "--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.key"],
            environment: environment)
        #expect(missing.exitCode == 1 && missing.stderr.contains("--tls-key /nonexistent.key"))
    }
}

import APIServer
import Foundation
import HummingbirdTesting
import Logging
import Remote
import TestSupport
import Testing

/// schemathesis (PyPI) generates requests from the OpenAPI document against the live server (with the lab behind
/// it): no answer may be a 5xx, and every answer's body and content type must be the ones the document gives.
/// The report (and schemathesis's cache) is kept in test-artefacts/schemathesis/.
extension OutsideToolTests {
    @Test("no generated request gets a 5xx or an undocumented answer", .enabled(if: Peer.schemathesis.enabled))
    func noServerErrors() async throws {
        let schemathesis = try Peer.value("HWA_TEST_SCHEMATHESIS")
        let fixture = try await APIFixture.make(nodes: 2)
        let artefacts = Self.artefacts.appendingPathComponent("schemathesis")
        try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
        // Unlimited rate: the fuzzer's thousand-odd requests on one token would otherwise meet 429s, not handlers.
        try await fixture.withServer(security: APISecurity(requestsPerSecond: 0)) { _, client, _ in
            let port = try #require(client.port)
            // The token reaches schemathesis through its config file's environment substitution, never a command line.
            let config = artefacts.appendingPathComponent("schemathesis.toml")
            try "headers = { Authorization = \"Bearer ${HWA_TOKEN}\" }\n".write(
                to: config, atomically: true, encoding: .utf8)
            let output = try await ProcessRunner(logger: Logger(label: "schemathesis")).run(
                Command(
                    schemathesis,
                    [
                        "--config-file", config.path, "--no-color", "run",
                        "http://127.0.0.1:\(port)/api/v1/openapi.json", "--checks",
                        "not_a_server_error,response_schema_conformance,content_type_conformance",
                        "--max-examples", "25", "--seed", "4242", "--phases", "examples,coverage,fuzzing",
                        "--workers", "1", "--request-timeout", "30", "--exclude-path", "/api/v1/events",
                        "--report", "junit", "--report-dir", artefacts.path,
                    ],
                    environment: ["HWA_TOKEN": fixture.admin, "NO_COLOR": "1"], secretEnvironment: ["HWA_TOKEN"],
                    timeout: .seconds(1200), workingDirectory: artefacts.path))
            try (output.standardOutput + output.standardError).write(
                to: artefacts.appendingPathComponent("output.txt"), atomically: true, encoding: .utf8)
            #expect(output.succeeded, "\(output.termination): \(output.standardOutput.suffix(4000))")
        }
    }
}

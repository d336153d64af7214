import Foundation
import Logging
import Remote
import Testing

/// Runs the built `hwautomation` binary the way an operator does, and reports what they would see.
public enum CLI {
    /// How a run ended and what it printed.
    public struct Result: Sendable {
        /// The exit code (-1 when it was killed).
        public var exitCode: Int32
        /// Its standard output.
        public var stdout: String
        /// Its standard error.
        public var stderr: String
    }

    /// The `hwautomation` executable beside the test bundle (swift build puts products in one folder).
    public static var executable: String {
        get throws {
            let candidates = [
                URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                Bundle.main.bundleURL.deletingLastPathComponent(),
                Bundle.main.bundleURL,
            ].map { $0.appendingPathComponent("hwautomation").path }
            return try #require(
                candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
                "hwautomation not built next to the tests (looked in \(candidates))")
        }
    }

    /// The runner the binary is started with.
    public static let runner = ProcessRunner(logger: Logger(label: "cli-tests"))

    /// Runs `hwautomation arguments` with `environment` added (an empty `HWA_CONFIG_DIR` unless given: the built-in
    /// catalog); what it printed and how it ended.
    public static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60))
        async throws -> Result
    {
        var environment = environment
        if environment["HWA_CONFIG_DIR"] == nil { environment["HWA_CONFIG_DIR"] = "" }
        let output = try await runner.run(
            Command(try executable, arguments, environment: environment, timeout: timeout))
        guard case .exited(let code) = output.termination else {
            Issue.record("hwautomation \(arguments) was killed: \(output.termination)")
            return Result(exitCode: -1, stdout: output.standardOutput, stderr: output.standardError)
        }
        return Result(exitCode: code, stdout: output.standardOutput, stderr: output.standardError)
    }

    /// `text` parsed as JSON.
    public static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }
}

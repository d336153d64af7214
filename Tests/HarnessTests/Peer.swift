import Foundation
import Testing

/// The real peers `scripts/test-peers.sh` starts, found through the HWA_TEST_* variables it exports.
///
/// Without them a peer test is skipped locally; with CI=true it runs and fails, so a missing peer is never silent.
enum Peer: String, CaseIterable {
    case redfish = "HWA_TEST_REDFISH_URL"
    case redfishTLS = "HWA_TEST_REDFISH_TLS_URL"
    case ipmi = "HWA_TEST_IPMI_HOST"
    case ssh = "HWA_TEST_SSH_HOST"

    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    static var isCI: Bool { environment["CI"] == "true" }

    var isConfigured: Bool { Self.environment[rawValue] != nil }

    /// Run the test when the peer is there, or in CI (where its absence fails the test).
    var enabled: Bool { isConfigured || Self.isCI }

    /// A variable the test needs; fails the test when scripts/test.sh did not set it.
    static func value(_ name: String) throws -> String {
        try #require(
            environment[name], "\(name) is not set: run the tests with scripts/test.sh, which starts the peers")
    }

    /// The contents of a secret file named by a variable, trimmed.
    static func secret(_ name: String) throws -> String {
        let path = try value(name)
        return try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

import Foundation

/// The real peers `scripts/test-peers.sh` starts (and the tools it installs), found through the HWA_TEST_* variables it exports.
///
/// Without them a peer test is skipped locally (`.enabled(if: Peer.x.enabled)`); with CI=true it runs and fails,
/// so a missing peer is never silent.
public enum Peer: String, CaseIterable, Sendable {
    /// sushy-tools, fake driver (HTTP, no auth).
    case redfish = "HWA_TEST_REDFISH_URL"
    /// sushy-tools, libvirt test driver (HTTPS, Basic auth).
    case redfishTLS = "HWA_TEST_REDFISH_TLS_URL"
    /// ipmi_sim.
    case ipmi = "HWA_TEST_IPMI_HOST"
    /// sshd with dmidecode on a synthetic SMBIOS table.
    case ssh = "HWA_TEST_SSH_HOST"
    /// PostgreSQL.
    case postgres = "HWA_TEST_POSTGRES_URL"
    /// Headless Chromium (Debian's), for the dashboard's browser test.
    case chromium = "HWA_TEST_CHROMIUM"
    /// Python with Playwright (PyPI, in the peers' virtualenv), which drives the system Chromium through the
    /// dashboard as an operator does (`scripts/peers/dashboard_flows.py`).
    case playwright = "HWA_TEST_PLAYWRIGHT"
    /// schemathesis (PyPI, in the peers' virtualenv), for the API's property-based test.
    case schemathesis = "HWA_TEST_SCHEMATHESIS"
    /// sushy-tools' sushy-static replaying DMTF's public-rackmount1 mockup from ../shared (HTTP, read-only, no auth).
    case mockup = "HWA_TEST_MOCKUP_URL"
    /// DMTF's Redfish Service Validator (PyPI `redfish-service-validator`, `rf_service_validator`).
    case serviceValidator = "HWA_TEST_RF_SERVICE_VALIDATOR"
    /// DMTF's Redfish Protocol Validator (PyPI `redfish-protocol-validator`, `rf_protocol_validator`).
    case protocolValidator = "HWA_TEST_RF_PROTOCOL_VALIDATOR"
    /// The peers' Python with Canonical's official MAAS client, python-libmaas, importable as `maas.client`.
    case libmaas = "HWA_TEST_PYTHON_LIBMAAS"

    /// A variable the test needs was not set.
    public struct Missing: Error, CustomStringConvertible {
        /// The variable.
        public var name: String
        /// What to do.
        public var description: String {
            "\(name) is not set: run the tests with scripts/test.sh, which starts the real peers"
        }
    }

    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// True when CI=true.
    public static var isCI: Bool { environment["CI"] == "true" }

    /// True when scripts/test.sh set this peer's variable.
    public var isConfigured: Bool { Self.environment[rawValue] != nil }

    /// Run the test when the peer is there, or in CI (where its absence fails the test).
    public var enabled: Bool { isConfigured || Self.isCI }

    /// A variable the test needs; throws `Missing` when scripts/test.sh did not set it.
    public static func value(_ name: String) throws -> String {
        guard let value = environment[name], !value.isEmpty else { throw Missing(name: name) }
        return value
    }

    /// The contents of a secret file named by a variable, trimmed.
    public static func secret(_ name: String) throws -> String {
        let path = try value(name)
        return try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The repository's root.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the repository.
    public static let shared = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
}

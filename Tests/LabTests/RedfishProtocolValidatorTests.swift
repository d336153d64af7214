import Foundation
import Logging
import Remote
import TestSupport
import Testing

@testable import Lab

/// DMTF's Redfish Protocol Validator (PyPI `redfish-protocol-validator`) exercises one lab BMC of each vendor profile
/// over HTTP as DSP0266 specifies the protocol: sessions, Basic authentication, 401/403/404/405 answers, headers,
/// ETags and If-Match, account creation with a predefined role and login as that account, unsupported methods. It
/// needs no schemas and runs offline. No assertion may fail; warnings and assertions it could not test are printed.
/// Reports go to test-artefacts/protocol-validator/.
@Suite("DMTF Redfish Protocol Validator against the lab", .enabled(if: Peer.protocolValidator.enabled))
struct RedfishProtocolValidatorTests {
    /// One result row of the validator's TSV report.
    struct Row {
        var assertion: String
        var method: String
        var status: String
        var uri: String
        var result: String
        var message: String

        var line: String { "\(assertion) \(method) \(uri) \(status): \(message)" }
    }

    /// Why the lab cannot pass `row`, for the two failures it cannot avoid; nil for every other row.
    static func excuse(_ row: Row) -> String? {
        switch (row.assertion, row.method) {
        // swift-nio's HTTP/1 parser (llhttp) accepts only the method tokens it knows: an unknown one such as
        // FAKEMETHODFORTEST is answered 400 and the connection closed before any handler runs. A method it knows
        // that the resource does not take (PROPFIND, DELETE on the service root) gets 405 with Allow.
        case ("PROTO_HTTP_UNSUPPORTED_METHODS", "FAKEMETHODFORTEST"):
            "swift-nio's HTTP parser answers 400 to a method token it does not know"
        // The lab's listeners are plain HTTP on loopback: there is no HTTPS to redirect Basic authentication to.
        case ("SEC_BASIC_AUTH_OVER_HTTPS", _): "the lab serves plain HTTP on loopback only"
        default: nil
        }
    }

    static let artefacts = Peer.repositoryRoot.appendingPathComponent("test-artefacts/protocol-validator")

    /// Runs the validator against the BMC at `port` (credentials in a 0600 config file, never on the command line);
    /// the rows of its TSV report.
    static func validate(port: Int, profile: SimulatedBMC.Profile, password: String) async throws -> [Row] {
        let validator = try Peer.value("HWA_TEST_RF_PROTOCOL_VALIDATOR")
        let folder = artefacts.appendingPathComponent(profile.rawValue)
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("config.ini")
        let text = """
            [Authentication]
            user = admin
            password = \(password)
            [Connection]
            rhost = http://127.0.0.1:\(port)
            avoid-http-redirect = true
            [Reporting]
            report-dir = \(folder.path)
            report-type = tsv

            """
        try SecretFile.write(Data(text.utf8), to: config.path)
        defer { try? FileManager.default.removeItem(at: config) }
        let output = try await ProcessRunner(logger: Logger(label: "protocol-validator")).run(
            Command(
                validator, ["--config", config.path], environment: ["NO_COLOR": "1"], timeout: .seconds(300),
                workingDirectory: folder.path))
        let console = output.standardOutput + output.standardError
        try console.write(to: folder.appendingPathComponent("output.txt"), atomically: true, encoding: .utf8)
        let report = try #require(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".tsv") },
            "no TSV report in \(folder.path): \(console.suffix(2000))")
        let tsv = try String(contentsOf: folder.appendingPathComponent(report), encoding: .utf8)
        return tsv.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 6 else { return nil }
            return Row(
                assertion: fields[0], method: fields[1], status: fields[2], uri: fields[3], result: fields[4],
                message: fields[5])
        }
    }

    @Test("one BMC of each vendor profile: no assertion fails")
    func noFailures() async throws {
        var settings = SimulatedBMC.Settings()
        settings.password = "lab-" + UUID().uuidString.prefix(12).lowercased()
        let password = settings.password
        let servers = RedfishServiceValidatorTests.servers
        let lab = Lab(servers: servers.map(\.1), settings: settings)
        let reports = try await lab.withListeners { listeners in
            var reports: [(SimulatedBMC.Profile, [Row])] = []
            for (index, (profile, _)) in servers.enumerated() {
                reports.append(
                    (
                        profile,
                        try await Self.validate(port: listeners.bmcPorts[index], profile: profile, password: password)
                    ))
            }
            return reports
        }
        for (profile, rows) in reports {
            let count = { (result: String) in rows.filter { $0.result == result }.count }
            print(
                "protocol validator, \(profile): \(count("PASS")) pass, \(count("WARN")) warn, \(count("FAIL")) fail, "
                    + "\(count("NOT_TESTED")) not tested")
            for row in rows where row.result == "WARN" { print("  \(profile) WARN \(row.line)") }
            let failures = rows.filter { $0.result == "FAIL" && Self.excuse($0) == nil }
            for row in rows where row.result == "FAIL" {
                if let excuse = Self.excuse(row) { print("  \(profile) EXCUSED \(row.line) (\(excuse))") }
            }
            #expect(failures.isEmpty, "\(profile):\n\(failures.map(\.line).joined(separator: "\n"))")
            // The validator really ran its checks: sessions, authentication, the unsupported-method answers.
            #expect(count("PASS") >= 40, "\(profile): only \(count("PASS")) assertions passed")
        }
    }
}

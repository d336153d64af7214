import Catalog
import Foundation
import Inventory
import Logging
import Remote
import TestSupport
import Testing

@testable import Lab

/// DMTF's Redfish Service Validator (PyPI `redfish-service-validator`) walks one lab BMC of each vendor profile,
/// each at the root of a port of its own as a real BMC is reached, offline against the DMTF schemas in
/// `../shared/redfish-csdl`: no resource may fail. Warnings (vendors' OEM trees, whose schemas are the vendors',
/// deprecated properties) are recorded in the test output. Reports go to test-artefacts/service-validator/.
@Suite("DMTF Redfish Service Validator against the lab", .enabled(if: Peer.serviceValidator.enabled))
struct RedfishServiceValidatorTests {
    /// One BMC per vendor profile: the catalog's HPE type, and catalog hardware written as Supermicro's, Dell's,
    /// Lenovo's and an unknown maker's (the generic profile).
    static let servers: [(SimulatedBMC.Profile, ServerModel)] = {
        let catalog = try! CatalogLoader.load(directory: nil).catalog
        func server(_ type: String, _ manufacturer: String?, _ index: Int) -> ServerModel {
            var server = ServerModel(deviceType: catalog.deviceType(named: type)!, index: index)
            if let manufacturer { server.manufacturer = manufacturer }
            return server
        }
        return [
            (.hpe, server("a1.c5.large", nil, 1)), (.supermicro, server("s2.c2.small", "Supermicro", 2)),
            (.dell, server("s2.c2.small", "Dell Inc.", 3)), (.lenovo, server("s2.c2.large", "Lenovo", 4)),
            (.generic, server("s2.c2.small", "Acme", 5)),
        ]
    }()

    /// What the validator reported for one BMC.
    struct Report: CustomStringConvertible {
        /// Resources validated (`Validating <uri>...`).
        var resources: [String] = []
        /// The summary's counts.
        var pass = 0
        var warn = 0
        var fail = 0
        /// `<uri>: <result>` for every FAIL (and resource-level error) and WARN, in order.
        var failures: [String] = []
        var warnings: [String] = []

        var description: String {
            "\(resources.count) resources, \(pass) pass, \(warn) warn, \(fail) fail"
        }

        /// Reads the validator's debug log (results follow the `Validating <uri>...` line of their resource) and its
        /// console summary.
        init(log: String, console: String) {
            var current = "?"
            for line in log.split(separator: "\n").map(String.init) {
                if let range = line.range(of: " - INFO - Validating "), line.hasSuffix("...") {
                    current = String(line[range.upperBound...].dropLast(3))
                    resources.append(current)
                } else if let range = line.range(of: " - ERROR - ") {
                    failures.append("\(current): \(line[range.upperBound...])")
                } else if let range = line.range(of: " - CRITICAL - ") {
                    failures.append("\(current): \(line[range.upperBound...])")
                } else if let range = line.range(of: " - WARNING - ") {
                    warnings.append("\(current): \(line[range.upperBound...])")
                }
            }
            // | PASS | WARN | FAIL | NOT TESTED | then the row of counts.
            let lines = console.split(separator: "\n").map(String.init)
            if let header = lines.firstIndex(where: { $0.contains("PASS") && $0.contains("FAIL") }),
                header + 2 < lines.count
            {
                let counts = lines[header + 2].split(separator: "|").compactMap {
                    Int($0.trimmingCharacters(in: .whitespaces))
                }
                if counts.count >= 3 { (pass, warn, fail) = (counts[0], counts[1], counts[2]) }
            }
        }
    }

    static let artefacts = Peer.repositoryRoot.appendingPathComponent("test-artefacts/service-validator")

    /// Runs the validator against the BMC at `port` (credentials in a 0600 config file, never on the command line).
    static func validate(port: Int, profile: SimulatedBMC.Profile, password: String) async throws -> Report {
        let validator = try Peer.value("HWA_TEST_RF_SERVICE_VALIDATOR")
        let folder = artefacts.appendingPathComponent(profile.rawValue)
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("config.ini")
        let logs = folder.appendingPathComponent("logs")
        let text = """
            [Authentication]
            user = admin
            password = \(password)
            authtype = Session
            [Connection]
            rhost = http://127.0.0.1:\(port)
            timeout = 30
            [Paths]
            logdir = \(logs.path)
            schema_directory = \(Peer.shared.appendingPathComponent("redfish-csdl").path)
            [Validation]
            skipschema = true

            """
        try SecretFile.write(Data(text.utf8), to: config.path)
        defer { try? FileManager.default.removeItem(at: config) }
        let output = try await ProcessRunner(logger: Logger(label: "service-validator")).run(
            Command(
                validator, ["--config", config.path], environment: ["NO_COLOR": "1"], timeout: .seconds(120),
                workingDirectory: folder.path))
        let console = output.standardOutput + output.standardError
        try console.write(to: folder.appendingPathComponent("output.txt"), atomically: true, encoding: .utf8)
        let runs = try FileManager.default.contentsOfDirectory(atPath: logs.path)
        let run = try #require(runs.sorted().last, "no report folder under \(logs.path): \(console.suffix(2000))")
        let logFile = try #require(
            try FileManager.default.contentsOfDirectory(atPath: logs.appendingPathComponent(run).path)
                .first { $0.hasSuffix(".log") })
        let log = try String(
            contentsOf: logs.appendingPathComponent(run).appendingPathComponent(logFile), encoding: .utf8)
        return Report(log: log, console: console)
    }

    @Test("one BMC of each vendor profile: 0 failures, and the whole tree walked")
    func noFailures() async throws {
        var settings = SimulatedBMC.Settings()
        settings.password = "lab-" + UUID().uuidString.prefix(12).lowercased()
        let password = settings.password
        let lab = Lab(servers: Self.servers.map(\.1), settings: settings)
        #expect(lab.nodes.map { node in node.withState { $0.profile } } == Self.servers.map(\.0))
        let reports = try await lab.withListeners { listeners in
            var reports: [(SimulatedBMC.Profile, Report)] = []
            for (index, (profile, _)) in Self.servers.enumerated() {
                reports.append(
                    (
                        profile,
                        try await Self.validate(port: listeners.bmcPorts[index], profile: profile, password: password)
                    ))
            }
            return reports
        }
        for (profile, report) in reports {
            print("service validator, \(profile): \(report)")
            for warning in report.warnings { print("  \(profile) WARN \(warning)") }
            #expect(
                report.fail == 0 && report.failures.isEmpty,
                "\(profile): \(report)\n\(report.failures.joined(separator: "\n"))")
            // The whole tree, not a root that links nothing: systems, processors, DIMMs, drives or the vendor's
            // storage tree, managers, accounts, sessions, firmware, tasks, registries.
            #expect(report.resources.count >= 35, "\(profile): only \(report.resources.count) resources walked")
            #expect(report.pass >= 10 * report.resources.count, "\(profile): \(report)")
            for path in [
                "/redfish/v1/Systems/1", "/redfish/v1/Managers/1", "/redfish/v1/TaskService",
                "/redfish/v1/SessionService/Sessions", "/redfish/v1/UpdateService/FirmwareInventory/BMC",
            ] {
                #expect(report.resources.contains(path), "\(profile): \(path) was not validated")
            }
        }
    }
}

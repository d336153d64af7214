import AsyncHTTPClient
import Catalog
import Foundation
import Lab
import Logging
import NIOCore
import NIOHTTP1
import Remote

/// `bench fleet` with the lab in a process of its own: this program's `lab serve --json`.
extension FleetRun {
    /// Starts `hwautomation lab serve` on a free loopback port (configuration on its command line, no secret: the
    /// lab writes its own login to a 0600 file in a private folder, read back here), waits for its ready line,
    /// commissions the fleet, reads its counters, and stops it — however the benchmark ends.
    func outOfProcessLab() async throws -> FleetMeasurement {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "hwa-bench-fleet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let credentialsFile = folder.appendingPathComponent("lab-credentials").path
        var arguments = [
            "lab", "serve", "--host", "127.0.0.1", "--port", "0", "--nodes", "\(nodes)", "--latency-ms", "\(latencyMs)",
            "--post-seconds", "\(postSeconds)", "--credentials-file", credentialsFile, "--json",
        ]
        if let configDirectory { arguments += ["--config-dir", configDirectory] }
        let command = Command(Self.ownExecutable, arguments)
        let outcome = try await ProcessRunner(logger: logger).withBackground(command, readyWithin: .seconds(300)) {
            process in
            let ready: LabReadyLine
            do {
                ready = try JSONDecoder().decode(LabReadyLine.self, from: Data(process.readyLine.utf8))
            } catch {
                throw BenchError("the lab's first line is not its ready line: \(process.readyLine.prefix(200))")
            }
            let (user, password) = try Self.readLogin(credentialsFile)
            let port = ready.port
            var measured = try await commission(
                port: port, user: user, password: password,
                counters: { try await Self.fetchCounters(port: port, user: user, password: password) },
                labCPU: { ProcessRunner.cpuSeconds(ofProcess: process.pid) })
            measured.labPID = process.pid
            return measured
        }
        var measured = outcome.value
        measured.labCPUTotal = outcome.cpuSeconds
        measured.labExit = "\(outcome.termination)"
        return measured
    }

    /// This program's own executable (the lab is `lab serve` of the same build).
    static var ownExecutable: String {
        let link = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        if link != "/proc/self/exe", FileManager.default.isExecutableFile(atPath: link) { return link }
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    /// The user and password `lab serve` wrote to `path` (`user=…` and `password=…` lines).
    static func readLogin(_ path: String) throws -> (user: String, password: String) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BenchError("the lab said it was ready but its credentials file \(path) cannot be read")
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let user = values["user"], let password = values["password"] else {
            throw BenchError("the lab's credentials file \(path) has no user= and password= lines")
        }
        return (user, password)
    }

    /// `GET /lab/counters?paths=0` of the lab on `port`: node 0's requests by path (the report shows the run alone's),
    /// every node's by method. Not every node's paths: decoding those is megabytes of this process's peak RSS.
    static func fetchCounters(port: Int, user: String, password: String) async throws -> LabCountersReport {
        var request = HTTPClientRequest(url: Lab.countersURL(port: port, pathsOf: 0).absoluteString)
        request.headers.add(
            name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 256 * 1024 * 1024)
        guard response.status == .ok else {
            throw BenchError("the lab's counters answered HTTP \(response.status.code)")
        }
        return try JSONDecoder().decode(LabCountersReport.self, from: Data(body.readableBytesView))
    }
}

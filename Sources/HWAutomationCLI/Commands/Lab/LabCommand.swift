import ArgumentParser
import Catalog
import Foundation
import Inventory
import Lab
import Remote

/// `hwautomation lab`.
struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Run simulated BMCs (Redfish) on this machine, to try HWAutomation without hardware.",
        subcommands: [LabServeCommand.self])
}

/// `hwautomation lab serve`.
struct LabServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a lab of simulated BMCs until Ctrl-C; prints each BMC's URL and device type.",
        discussion: """
            Every BMC answers under its own prefix: http://HOST:PORT/bmc/N (Redfish root …/bmc/N/redfish/v1). \
            The lab's login is written to a 0600 credentials file, never printed. BMCs behave like their vendor's: \
            BIOS settings pend until a reset, ETags, sessions with a limit, 202 tasks, POST time, faults from the \
            configuration (see LabConfig in the README). With --port-per-bmc BASE, BMC N is also reachable as a \
            real one, at the root of its own port: http://HOST:(BASE+N)/redfish/v1, the same BMC as under its prefix. \
            GET http://HOST:PORT/lab/counters (the lab's login, Basic) answers every BMC's counters and its requests \
            by method and by path, as JSON (?paths=N: BMC N's paths alone). With --json, a program starting the lab (`bench fleet`) reads one JSON line instead \
            of the table once every listener is up: {"port", "bmc_ports", "nodes", "credentials_file"}.
            """)

    @OptionGroup var catalogOptions: CatalogOptions

    @Option(help: ArgumentHelp("Lab configuration (YAML).", valueName: "file"))
    var config: String?

    @Option(help: "Servers in the lab (overrides the configuration).")
    var nodes: Int?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port).")
    var port = 8600

    @Option(
        name: .customLong("port-per-bmc"),
        help: ArgumentHelp(
            "Also serve BMC N at the root of its own port BASE+N (http://HOST:(BASE+N)/redfish/v1).",
            valueName: "base"))
    var portPerBMC: Int?

    @Option(help: "BMC answer latency in milliseconds (overrides the configuration's latency_ms).")
    var latencyMs: Int?

    @Option(help: "Host POST time in seconds after a reset (overrides the configuration's post_seconds).")
    var postSeconds: Double?

    @Flag(help: "When listening, print one JSON line (port, BMC ports, nodes, credentials file) instead of the table.")
    var json = false

    @Flag(help: "Also serve a simulated MAAS (API 2.0) at http://HOST:PORT/MAAS/api/2.0/ over the lab's servers.")
    var maas = false

    @Option(
        name: .customLong("credentials-file"),
        help: ArgumentHelp("Where to write the lab's user and password (mode 0600).", valueName: "file"))
    var credentialsFile = "lab-credentials"

    func validate() throws {
        if let latencyMs, latencyMs < 0 { throw ValidationError("--latency-ms must be 0 or more") }
        if let postSeconds, !(postSeconds >= 0) { throw ValidationError("--post-seconds must be 0 or more") }
    }

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        var labConfig: LabConfig
        do {
            labConfig = try config.map(LabConfig.load) ?? LabConfig()
        } catch {
            throw CommandFailure("\(error)")
        }
        if let nodes { labConfig.nodes = nodes }
        if let postSeconds { labConfig.postSeconds = postSeconds }
        let servers: [ServerModel]
        do {
            servers = try labConfig.servers(catalog: catalog)
        } catch {
            throw CommandFailure("\(error)")
        }
        var bmcPorts: [Int] = []
        if let portPerBMC {
            do throws(LabError) {
                bmcPorts = try Lab.bmcPorts(base: portPerBMC, count: servers.count, sharedPort: port)
            } catch {
                throw CommandFailure("\(error)")
            }
        }
        var settings = labConfig.bmcSettings
        settings.password = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let random = { UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() }
        let maasKey = maas ? "\(random().prefix(18)):\(random().prefix(18)):\(random())" : nil
        var credentials = "user=\(settings.user)\npassword=\(settings.password)\n"
        if let maasKey { credentials += "maas_api_key=\(maasKey)\n" }
        do throws(SecretFileError) {
            // A new 0600 file renamed over the old one: never readable by others, never written through a link.
            try SecretFile.write(Data(credentials.utf8), to: credentialsFile)
        } catch {
            throw CommandFailure("cannot write the lab's credentials file \(error)")
        }
        let configured = labConfig.latencyMs.map {
            Duration.milliseconds($0.min)...Duration.milliseconds(max($0.min, $0.max))
        }
        let latency = latencyMs.map { Duration.milliseconds($0)...Duration.milliseconds($0) } ?? configured
        let lab = Lab(
            servers: servers, settings: settings, latency: latency ?? .zero ... .zero,
            faults: labConfig.faults ?? .none,
            maasAPIKey: maasKey)
        let host = host
        let json = json
        let credentialsFile = credentialsFile
        try await lab.serve(host: host, port: port, bmcPorts: bmcPorts, untilSignalled: true) { listeners in
            if json {
                let line = LabReadyLine(
                    port: listeners.port, bmcPorts: listeners.bmcPorts, nodes: lab.nodes.count,
                    credentialsFile: credentialsFile)
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                FileHandle.standardOutput.write(((try? encoder.encode(line)) ?? Data("{}".utf8)) + Data("\n".utf8))
                return
            }
            let port = listeners.port
            let perBMC = !listeners.bmcPorts.isEmpty
            var table = TextTable(["BMC", "URL"] + (perBMC ? ["ROOT URL"] : []) + ["VENDOR", "BOARD", "SERIAL"])
            for node in lab.nodes {
                let server = node.withState { $0.server }
                let root =
                    perBMC
                    ? [Lab.rootURL(host: host, port: listeners.bmcPorts[node.index]).absoluteString + "/redfish/v1"]
                    : []
                table.add(
                    ["\(node.index)", Lab.baseURL(host: host, port: port, index: node.index).absoluteString] + root
                        + [server.manufacturer, server.board, server.serial])
            }
            // Written straight to the file descriptor: stdout may be a pipe, and the lab runs until a signal.
            let text =
                table.render() + "\n\n\(lab.nodes.count) BMCs on http://\(host):\(port)"
                + (perBMC
                    ? " and on ports \(listeners.bmcPorts[0])...\(listeners.bmcPorts[listeners.bmcPorts.count - 1])"
                    : "")
                + "; login in "
                + "\(credentialsFile). Ctrl-C stops the lab.\n"
                + (maasKey == nil
                    ? ""
                    : "MAAS API 2.0 at \(Lab.maasURL(host: host, port: port).absoluteString) (key in \(credentialsFile)).\n")
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

/// What `lab serve --json` prints, on one line, once every listener is up.
struct LabReadyLine: Codable, Equatable {
    /// The shared listener's port (every BMC under `/bmc/<n>`, and `/lab/counters`).
    var port: Int
    /// Each BMC's own port, by index; empty without `--port-per-bmc`.
    var bmcPorts: [Int]
    /// BMCs in the lab.
    var nodes: Int
    /// Where the lab's login was written (mode 0600).
    var credentialsFile: String

    enum CodingKeys: String, CodingKey {
        case port, nodes
        case bmcPorts = "bmc_ports"
        case credentialsFile = "credentials_file"
    }
}

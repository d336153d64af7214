import APIServer
import ArgumentParser
import Catalog
import Firmware
import Foundation
import Hummingbird
import Logging
import Store
import WorkflowEngine

/// `hwautomation serve`: the REST API, live events, metrics and the dashboard.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Serve the REST API (/api/v1, OpenAPI at /api/v1/openapi.json), live events, /metrics and the dashboard.",
        discussion: """
            Every route but /api/v1/health, the OpenAPI document and the dashboard's files needs an API token \
            (`hwautomation tokens create NAME --scope read|admin`), sent as `Authorization: Bearer TOKEN`; the \
            dashboard asks for it and keeps it in the browser tab. Read tokens may only GET.

            Workflows started through the API run in this process under the engine's limits. On SIGINT or \
            SIGTERM the server stops taking requests and leaves running workflows as they are stored: \
            `hwautomation workflow resume --all`, or `serve --resume`, carries them on. With --no-workers (a \
            shared PostgreSQL) the server runs nothing itself: the workflows it creates are taken by \
            `hwautomation worker` processes, and their progress reaches its live events through the database.
            """)

    @Option(help: ArgumentHelp("Address to listen on.", valueName: "host:port")) var listen = "127.0.0.1:8080"
    @Flag(help: "At start, resume the workflows a stopped process left (pending, or running under a gone owner).")
    var resume = false
    @Flag(
        name: .customLong("no-workers"),
        help: "Run no workflow here: the API only creates them, for `hwautomation worker` processes (PostgreSQL).")
    var noWorkers = false
    @Option(
        name: .customLong("maas-url"),
        help: ArgumentHelp("MAAS region for the MAAS routes and started workflows.", valueName: "url"))
    var maasURL: String?
    @Option(name: .customLong("maas-credential"), help: "Stored credential holding the MAAS API key.")
    var maasCredential: String?
    @Option(
        name: .customLong("maas-tls"),
        help: ArgumentHelp("TLS for an https MAAS region: verify, insecure, ca:FILE.", valueName: "policy"))
    var maasTLS: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"
    @OptionGroup var engineOptions: EngineOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions

    /// `host:port` split.
    var address: (host: String, port: Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        let host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host.isEmpty ? nil : (host, port)
    }

    func validate() throws {
        guard address != nil else { throw ValidationError("--listen must be host:port (e.g. 127.0.0.1:8080)") }
        if (maasURL == nil) != (maasCredential == nil) {
            throw ValidationError("give --maas-url and --maas-credential together")
        }
        if let maasURL, URL(string: maasURL)?.host == nil { throw ValidationError("--maas-url must be a URL") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level") }
    }

    func run() async throws {
        var logger = Logger(label: "hwautomation.serve")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let loaded = try catalogOptions.load()
        let store = try await self.store.open()
        let metrics = APIMetrics()
        let engine = engineOptions.engine(
            store: store, catalog: loaded.catalog, logger: logger, redfishUsage: metrics.recordRedfish)
        let maas = maasURL.flatMap(URL.init(string:)).map { url in
            MAASSettings(url: url, credential: maasCredential ?? "", tls: maasTLS)
        }
        let server = APIServer(
            store: store, engine: engine, catalog: loaded, maas: maas, metrics: metrics, localWorkflows: !noWorkers,
            firmware: FirmwareLibrary(
                directory: engineOptions.firmwareDirectory.map { URL(fileURLWithPath: $0) }
                    ?? FirmwareLibrary.defaultDirectory()),
            logger: logger)
        if resume, !noWorkers {
            let ids = try await engine.resumable().map(\.id)
            if !ids.isEmpty {
                logger.info("resuming \(ids.count) workflow(s) a stopped process left")
                server.launcher.start(ids)
            }
        }
        let (host, port) = address ?? ("127.0.0.1", 8080)
        let app = server.application(host: host, port: port) { port in
            FileHandle.standardOutput.write(
                Data("hwautomation: serving on http://\(host):\(port)/ (dashboard /dashboard/, API /api/v1)\n".utf8))
        }
        try await app.runService()
    }
}

import APIServer
import ArgumentParser
import Catalog
import Firmware
import Foundation
import Hummingbird
import Logging
import NIOSSL
import Orchestration
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
            (`hwautomation tokens create NAME --scope read|operator|admin`), sent as `Authorization: Bearer \
            TOKEN`; the dashboard asks for it and keeps it in the browser tab. Read tokens may only GET; operator \
            tokens may also start, cancel and resume workflows on recorded servers; admin tokens may do everything.

            Without --tls-cert and --tls-key the server speaks plain HTTP and listens on loopback only, unless \
            --insecure-http says otherwise (behind a TLS-terminating proxy, say).

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
    @Option(
        name: .customLong("tls-cert"),
        help: ArgumentHelp("PEM certificate (chain) to serve HTTPS with.", valueName: "file"))
    var tlsCert: String?
    @Option(
        name: .customLong("tls-key"),
        help: ArgumentHelp("PEM private key of --tls-cert (mode 0600).", valueName: "file"))
    var tlsKey: String?
    @Flag(
        name: .customLong("insecure-http"),
        help: "Allow plain HTTP on an address other than loopback (tokens then cross the network in clear).")
    var insecureHTTP = false
    @Option(
        name: .customLong("rate-limit"),
        help: ArgumentHelp("Requests per second per token (0: no limit).", valueName: "n"))
    var rateLimit: Double = 50
    @Option(help: ArgumentHelp("Requests a token may make at once before --rate-limit applies.", valueName: "n"))
    var burst = 200
    @Option(
        name: .customLong("streams-per-token"),
        help: ArgumentHelp("Live event streams a token may hold open at once.", valueName: "n"))
    var streamsPerToken = 4
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"
    @Option(
        name: .customLong("event-retention"),
        help: ArgumentHelp(
            "Keep finished runs' progress events this long (30d, 12h, 90m), pruned periodically; never the audit log "
                + "or unfinished runs' events. Default: kept for ever.", valueName: "duration"))
    var eventRetention: String?
    @Option(
        name: .customLong("drift-every"),
        help: ArgumentHelp(
            "Check every stored server's BIOS and firmware against its type this often (24h, 7d): a drift-check run "
                + "per server when the newest is older. Default: only when asked.", valueName: "duration"))
    var driftEvery: String?
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
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("give --tls-cert and --tls-key together") }
        if tlsCert == nil, !insecureHTTP, let host = address?.host, !Self.isLoopback(host) {
            throw ValidationError(
                "--listen \(listen) is not a loopback address: serve HTTPS (--tls-cert F --tls-key F) or, behind a "
                    + "TLS-terminating proxy, say --insecure-http")
        }
        guard rateLimit.isFinite, rateLimit >= 0, rateLimit <= 1_000_000 else {
            throw ValidationError("--rate-limit must be from 0 to 1000000")
        }
        guard (1...1_000_000).contains(burst) else { throw ValidationError("--burst must be from 1 to 1000000") }
        guard (1...10_000).contains(streamsPerToken) else {
            throw ValidationError("--streams-per-token must be from 1 to 10000")
        }
        _ = try retention()
        _ = try driftInterval()
    }

    /// `--drift-every` parsed (nil when not given), or a validation error naming the option.
    func driftInterval() throws -> EventRetention? {
        guard let driftEvery else { return nil }
        do {
            return try EventRetention(parsing: driftEvery, option: "--drift-every")
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// `--event-retention` parsed (nil when not given), or a validation error naming the option.
    func retention() throws -> EventRetention? {
        guard let eventRetention else { return nil }
        do {
            return try EventRetention(parsing: eventRetention, option: "--event-retention")
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// 127.0.0.0/8, ::1 and localhost.
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
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
            security: APISecurity(requestsPerSecond: rateLimit, burst: burst, streamsPerToken: streamsPerToken),
            eventRetention: try retention(), driftEvery: try driftInterval(), logger: logger)
        if resume, !noWorkers {
            let ids = try await engine.resumable().map(\.id)
            if !ids.isEmpty {
                logger.info("resuming \(ids.count) workflow(s) a stopped process left")
                server.launcher.start(ids)
            }
        }
        let (host, port) = address ?? ("127.0.0.1", 8080)
        var tls: TLSConfiguration?
        if let tlsCert, let tlsKey {
            do {
                tls = try ServerTLS.configuration(certificateFile: tlsCert, keyFile: tlsKey)
            } catch let error as ServerTLS.LoadError {
                throw CommandFailure("\(error.description)")
            }
        }
        let scheme = tls == nil ? "http" : "https"
        let app = try server.application(host: host, port: port, tls: tls) { port in
            FileHandle.standardOutput.write(
                Data(
                    "hwautomation: serving on \(scheme)://\(host):\(port)/ (dashboard /dashboard/, API /api/v1)\n".utf8)
            )
        }
        try await app.runService()
    }
}

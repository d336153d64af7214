import APIServer
import ArgumentParser
import Catalog
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Store
import WorkflowEngine

/// `hwautomation bench api`.
struct BenchAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "History at scale: the API's listings, details, events and pruning over N runs; prints JSON.",
        discussion: """
            Fills a fresh store with --runs runs (six steps each) and --events events over --servers servers, \
            written in bulk by the database, starts the API server in this process on a free loopback port with \
            a token of its own, and times each call --tries times (p50, p99 and max in milliseconds): the first \
            page of GET /api/v1/workflows, a deep page (offset 90%), filtered by state, by server and by \
            definition, a server's detail (the dashboard's five calls at once), one workflow's detail and events, \
            /metrics, the SSE catch-up of a client reconnecting from event 0 (bounded: the newest 1,000), and \
            with --chromium the dashboard's first render in headless Chromium. Last it prunes the progress events \
            of runs finished before the history's midpoint (once). Targets: listings and details under 50 ms, the \
            dashboard under 2 s. With --store postgres, --db (or HWA_DATABASE_URL) names an empty database \
            (CREATE DATABASE …); its password comes from PGPASSWORD or HWA_DATABASE_PASSWORD_FILE. Build with -c \
            release for figures that count.
            """)

    @Option(help: ArgumentHelp("sqlite (a new file in a temporary directory) or postgres.", valueName: "kind"))
    var store = "sqlite"
    @Option(help: ArgumentHelp("PostgreSQL URL (no password) for --store postgres.", valueName: "url"))
    var db: String?
    @Option(help: "Runs to store.") var runs = 100_000
    @Option(help: "Events to store, in all.") var events = 2_000_000
    @Option(help: "Servers the runs are spread over (default: runs / 100, at least 1).") var servers: Int?
    @Option(help: "Times each call is made.") var tries = 7
    @Option(help: ArgumentHelp("Headless Chromium to time the dashboard's first render with.", valueName: "path"))
    var chromium: String?
    @Flag(help: "Print JSON (the default and only format; accepted for symmetry).") var json = false

    func validate() throws {
        guard ["sqlite", "postgres"].contains(store) else {
            throw ValidationError("--store must be sqlite or postgres")
        }
        guard runs >= 1, runs <= 10_000_000 else { throw ValidationError("--runs must be from 1 to 10000000") }
        guard events >= 0, events <= 100_000_000 else {
            throw ValidationError("--events must be from 0 to 100000000")
        }
        guard (1...1000).contains(tries) else { throw ValidationError("--tries must be from 1 to 1000") }
        if let servers, servers < 1 { throw ValidationError("--servers must be at least 1") }
        if store == "postgres", let db, (URLComponents(string: db)?.password ?? "").isEmpty == false {
            throw ValidationError(
                "--db must not carry a password (command lines are visible to every user); use PGPASSWORD or "
                    + "HWA_DATABASE_PASSWORD_FILE")
        }
        if let chromium, !FileManager.default.isExecutableFile(atPath: chromium) {
            throw ValidationError("--chromium \(chromium): no executable there")
        }
    }

    func run() async throws {
        let logger = {
            var logger = Logger(label: "hwautomation.bench")
            logger.logLevel = .critical
            return logger
        }()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-bench-api-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let opened = try await openStore(scratch: scratch, logger: logger)
        let history = SyntheticHistory(runs: runs, events: events, servers: servers ?? max(1, runs / 100))
        let clock = ContinuousClock()
        let filling = try await clock.measure {
            for index in 0..<history.servers {
                let id = SyntheticHistory.serverID(index)
                try await opened.upsertServer(
                    ServerRecord(
                        id: id, name: id,
                        bmcAddress: "https://10.\(index / 65_536 % 256).\(index / 256 % 256)."
                            + "\(index % 256)", credential: "bench", status: "commissioned"))
            }
            try await opened.write(history)
        }
        let (token, secret) = APIToken.make(name: "bench-api-\(UUID().uuidString.prefix(8))", scope: .read)
        try await opened.createToken(token)
        let catalog = try CatalogLoader.load(directory: nil)
        let engine = Engine(repository: opened, definitions: [], logger: logger)
        let server = APIServer(store: opened, engine: engine, catalog: catalog, localWorkflows: false, logger: logger)
        let (ports, portReady) = AsyncStream.makeStream(of: Int.self)
        let app = try server.application(host: "127.0.0.1", port: 0) { port in
            portReady.yield(port)
            portReady.finish()
        }
        let group = ServiceGroup(services: [app], logger: logger)
        let tries = tries
        let chromium = chromium
        var report: APIBenchReport = try await withThrowingTaskGroup(of: APIBenchReport?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            tasks.addTask {
                var port = 0
                for await value in ports { port = value }
                let probe = APIBenchProbe(
                    base: "http://127.0.0.1:\(port)", token: secret, tries: tries, history: history, logger: logger)
                do {
                    let report = try await probe.measure(chromium: chromium, scratch: scratch)
                    await probe.shutdown()
                    await group.triggerGracefulShutdown()
                    return report
                } catch {
                    await probe.shutdown()
                    await group.triggerGracefulShutdown()
                    throw error
                }
            }
            var result: APIBenchReport?
            for try await value in tasks where value != nil { result = value }
            guard let result else { throw ValidationError("the API server stopped before it was measured") }
            return result
        }
        _ = try await opened.revokeToken(name: token.name, at: Date())
        report.store = store
        report.fillSeconds = BenchFigures.round(BenchFigures.seconds(filling))
        report.prune = try await prune(opened, history)
        print(try Terminal.json(report))
    }

    /// A new SQLite store in `scratch`, or the empty PostgreSQL database --db names.
    private func openStore(scratch: URL, logger: Logger) async throws -> any SyntheticHistoryWriting {
        let box = SecretBox.ephemeral()
        do {
            if store == "sqlite" {
                return try SQLiteStore(path: scratch.appendingPathComponent("bench.sqlite").path, box: box)
            }
            guard let url = db ?? ProcessInfo.processInfo.environment["HWA_DATABASE_URL"], !url.isEmpty,
                PostgresConfiguration.isURL(url)
            else {
                throw ValidationError("--store postgres needs --db postgres://user@host:port/db or HWA_DATABASE_URL")
            }
            let postgres = try await PostgresStore.open(PostgresConfiguration(url: url), box: box, logger: logger)
            let stored = try await postgres.countWorkflows(WorkflowFilter())
            guard stored == 0 else {
                throw ValidationError(
                    "\(postgres.configuration) already holds \(stored) workflow(s): bench api needs an empty "
                        + "database (CREATE DATABASE …)")
            }
            return postgres
        } catch let error as StoreError {
            throw CommandFailure("\(error)")
        }
    }

    /// Prunes the progress events of runs finished before the history's midpoint; its time and count.
    private func prune(_ store: any Store, _ history: SyntheticHistory) async throws -> APIBenchReport.Prune {
        let midpoint = Date(timeIntervalSince1970: Double(history.created(history.runs / 2 + 1)))
        let before = try await store.latestEventSeq()
        var pruned = 0
        let elapsed = try await ContinuousClock().measure {
            pruned = try await store.pruneEvents(finishedBefore: midpoint)
        }
        return APIBenchReport.Prune(
            finishedBefore: midpoint.formatted(.iso8601), pruned: pruned, eventsStored: Int(before),
            milliseconds: APIBenchReport.milliseconds(elapsed))
    }
}

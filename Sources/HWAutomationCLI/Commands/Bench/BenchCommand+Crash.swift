import ArgumentParser
import Catalog
import Firmware
import Foundation
import Lab
import Logging
import Orchestration
import Remote
import Store
import WorkflowEngine

/// `hwautomation bench crash`.
struct BenchCrashCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash",
        abstract: "A crash campaign: SIGKILL the workers driving a batch over a faulty lab, restart them, then check "
            + "every server; prints JSON.",
        discussion: """
            A lab of --nodes servers is served by this process with faults on (a share of answers 503, and resets, \
            firmware updates and session logins performed whose answer is then lost). Two batches run over it, one \
            after the other: intelligent commissioning of every server, then firmware-first provisioning of every \
            server (images newer than the lab's, in a temporary repository). Each batch is driven by `hwautomation \
            worker --drain` processes of this program — one at a time on SQLite, --workers at once on PostgreSQL, \
            each with a lease of --lease-seconds — which the campaign SIGKILLs at seeded random moments after each \
            (re)start, and which kill themselves at crash points (after a BIOS PATCH before its reset, while a \
            vendor tool runs, while a firmware task runs, inside a store transaction before it commits; \
            --crash-points), until --kills kills are spent; it restarts them until the batch has no runnable run. \
            Then every run is checked against the lab's own counters and state and the store's steps and events.

            Figures (a kill is a SIGKILL, random or at a crash point):
            - kills, restarts: workers killed (random_kills by the campaign, crash_point_kills by point) and \
            started again.
            - runs, succeeded, failed: runs of both batches and how they ended; failures names each failed server \
            with its reason (a run may fail under faults; the figures below may not be non-zero).
            - duplicate_patches: BIOS PATCHes a BMC accepted beyond the one its plan allows (none when the plan \
            had no change), or that the lab found changing nothing (a repeat).
            - duplicate_resets: host resets beyond the one a run makes, or that the lab found with nothing to apply.
            - duplicate_flashes: firmware updates a BMC accepted beyond the plan's count, or of a version already \
            active, staged or on its way.
            - duplicate_bmc_changes: two changes on one BMC at once: changes that reached the lab while another \
            change to that BMC was in flight or a firmware task of it unfinished, plus overlapping \
            step.started-to-end spans of mutating steps on one BMC in the stored events.
            - lost_events: gaps in a run's events: a step that ended, reported or was checked without a start, a \
            step started before the earlier ones were done, an event after the run ended, a run stored as ended \
            without its ending event, a succeeded run with a step not succeeded or skipped.
            - wrong_final_state: a succeeded run whose server disagrees with the store: a planned BIOS value \
            missing, settings still pending, firmware not at the planned version or still staged, or the stored \
            firmware versions not the BMC's.
            - waiting, unfinished: runs left waiting for an operator, or still pending or running.
            - leaked_sessions: sessions left open on the BMCs at the end (by killed workers, or logins whose answer \
            was lost); reported, not judged.
            - wall_seconds: from the first batch's creation to the last check.
            - findings: one line per duplicate, lost event, wrong state or run not ended, naming the server, the \
            run and what shows it.
            The exit status is 1 when any duplicate, lost, wrong, waiting or unfinished figure is non-zero.

            The store must hold no unfinished run (workers take every runnable one): use a new SQLite file \
            (--db /tmp/x/crash.sqlite) or an empty database.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Simulated servers (each gets both workflows).") var nodes = 20
    @Option(help: "Kills to spend over the campaign (random SIGKILLs and crash points together).") var kills = 50
    @Option(help: "Workers at once (more than 1 needs a PostgreSQL --db).") var workers = 1
    @Option(help: "Seed of the lab's faults, the kill moments and the crash points (default: random).")
    var seed: UInt64?
    @Option(
        name: .customLong("lease-seconds"),
        help: "The workers' lease in seconds (at least 5; the firmware step runs longer).")
    var leaseSeconds = 5
    @Option(help: "Runs at once per worker.") var concurrency = 8
    @Option(help: "Host POST time in seconds after a lab reset.") var postSeconds = 0.5
    @Option(help: "Longest pause in seconds after a worker (re)starts before it is killed.") var killDelay = 1.5
    @Option(help: "Crash points for the workers, NAME:PROBABILITY,… (empty: random kills only).")
    var crashPoints = "bios.patched:0.3,firmware.task:0.3,vendor.tool:0.3,store.commit:0.005"
    @Option(help: "Share of lab answers that are 503.") var errorRate = 0.02
    @Option(help: "Share of resets, firmware updates and session logins whose answer the lab loses.")
    var lostAnswerRate = 0.15
    @Option(
        help: ArgumentHelp(
            "Sessions a lab BMC allows at once. Lab sessions never expire, and every kill can leave one open "
                + "(leaked_sessions), so the real 4 soon locks a BMC out."))
    var sessionLimit = 64
    @Option(help: "Give up (exit 1) after this many seconds.") var timeoutSeconds = 1800
    @Flag(help: "Print JSON (the default and only format; accepted for symmetry).") var json = false

    func validate() throws {
        guard nodes >= 1, kills >= 0, workers >= 1, concurrency >= 1, sessionLimit >= 1 else {
            throw ValidationError(
                "--nodes, --workers, --concurrency and --session-limit must be at least 1, --kills at least 0")
        }
        guard leaseSeconds >= 5 else { throw ValidationError("--lease-seconds must be at least 5") }
        guard killDelay > 0, postSeconds >= 0, timeoutSeconds > 0 else {
            throw ValidationError("--kill-delay and --timeout-seconds must be positive, --post-seconds not negative")
        }
        guard (0...1).contains(errorRate), (0...1).contains(lostAnswerRate) else {
            throw ValidationError("--error-rate and --lost-answer-rate are shares from 0 to 1")
        }
        do {
            _ = try CrashPoint.parse(crashPoints)
        } catch {
            throw ValidationError("--crash-points: \(error.message)")
        }
    }

    /// The JSON report.
    struct Report: Encodable {
        var seed: UInt64
        var store: String
        var nodes: Int
        var workers: Int
        var kills: Int
        var randomKills: Int
        var crashPointKills: [String: Int]
        var restarts: Int
        var figures: CrashAudit.Figures
        var wallSeconds: Double

        enum CodingKeys: String, CodingKey {
            case seed, store, nodes, workers, kills, restarts, runs, succeeded, failed, failures, waiting, unfinished
            case leakedSessions = "leaked_sessions"
            case randomKills = "random_kills"
            case crashPointKills = "crash_point_kills"
            case duplicatePatches = "duplicate_patches"
            case duplicateResets = "duplicate_resets"
            case duplicateFlashes = "duplicate_flashes"
            case duplicateBMCChanges = "duplicate_bmc_changes"
            case lostEvents = "lost_events"
            case wrongFinalState = "wrong_final_state"
            case findings
            case wallSeconds = "wall_seconds"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(seed, forKey: .seed)
            try container.encode(store, forKey: .store)
            try container.encode(nodes, forKey: .nodes)
            try container.encode(workers, forKey: .workers)
            try container.encode(kills, forKey: .kills)
            try container.encode(randomKills, forKey: .randomKills)
            try container.encode(crashPointKills, forKey: .crashPointKills)
            try container.encode(restarts, forKey: .restarts)
            try container.encode(figures.runs, forKey: .runs)
            try container.encode(figures.succeeded, forKey: .succeeded)
            try container.encode(figures.failed, forKey: .failed)
            try container.encode(figures.failures, forKey: .failures)
            try container.encode(figures.waiting, forKey: .waiting)
            try container.encode(figures.unfinished, forKey: .unfinished)
            try container.encode(figures.duplicatePatches, forKey: .duplicatePatches)
            try container.encode(figures.duplicateResets, forKey: .duplicateResets)
            try container.encode(figures.duplicateFlashes, forKey: .duplicateFlashes)
            try container.encode(figures.duplicateBMCChanges, forKey: .duplicateBMCChanges)
            try container.encode(figures.lostEvents, forKey: .lostEvents)
            try container.encode(figures.wrongFinalState, forKey: .wrongFinalState)
            try container.encode(figures.leakedSessions, forKey: .leakedSessions)
            try container.encode(figures.findings, forKey: .findings)
            try container.encode((wallSeconds * 1000).rounded() / 1000, forKey: .wallSeconds)
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard environment[CrashPoint.variable] == nil else {
            throw ValidationError(
                "\(CrashPoint.variable) is set in this shell: this process would kill itself; unset it and give "
                    + "--crash-points instead")
        }
        let target = store.db ?? environment["HWA_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let postgres = target.map(PostgresConfiguration.isURL) ?? false
        guard postgres || workers == 1 else {
            throw ValidationError("SQLite takes one worker at a time; --workers \(workers) needs --db postgres://...")
        }
        let db = target ?? StoreOptions.stateDirectory + "/hwautomation.sqlite"
        let seed = seed ?? UInt64.random(in: 0..<1_000_000)
        var logger = Logger(label: "hwautomation.bench")
        logger.logLevel = .critical
        let catalog = try catalogOptions.load().catalog
        let shared = try await store.open()
        let keyFile = store.keyFile ?? store.defaultKeyFile
        guard try await shared.workflows(WorkflowFilter(states: [.pending, .running], limit: 1)).isEmpty else {
            throw ValidationError(
                "\(db) holds unfinished runs, which the campaign's workers would take too; use a new store")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let firmwareDirectory = try Self.firmwareRepository(in: folder)

        let servers = try Self.labConfig(nodes: nodes, catalog: catalog).servers(catalog: catalog)
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = postSeconds
        settings.password = UUID().uuidString
        settings.sessionLimit = sessionLimit
        var faults = LabConfig.Faults.none
        faults.errorRate = errorRate
        faults.lostAnswer = Dictionary(
            uniqueKeysWithValues: [SimulatedBMC.ActionKind.reset, .update, .session].map {
                ($0.rawValue, lostAnswerRate)
            })
        faults.seed = seed
        let lab = Lab(
            servers: servers, settings: settings, latency: .milliseconds(1) ... .milliseconds(5), faults: faults,
            logger: logger)
        let credential = "crash-\(seed)-\(UUID().uuidString.prefix(8))"
        try await shared.putCredential(
            name: credential, user: settings.user, secret: settings.password, kind: "bmc", scope: .loopbackLab)

        let services = CommissioningServices(
            catalog: catalog, store: shared, runner: ProcessRunner(logger: logger), logger: logger)
        let definitions = CommissioningWorkflows.definitions(services)
        let creator = Engine(repository: shared, definitions: definitions, logger: logger)
        var arguments = [
            "worker", "--db", db, "--key-file", keyFile, "--drain", "--concurrency", "\(concurrency)",
            "--lease-seconds", "\(leaseSeconds)", "--first-poll", "0.2", "--poll-seconds", "0.2", "--host-timeout",
            "120", "--firmware-dir", firmwareDirectory,
        ]
        if let directory = catalogOptions.configDirectory { arguments += ["--config-dir", directory] }
        let started = ContinuousClock.now
        let campaign = CrashCampaign(
            executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path, arguments: arguments,
            // The workers are this program: of this process's environment they get the store's and catalog's
            // settings (ProcessRunner hands a child nothing else), and the crash points.
            environment: environment.filter {
                ["PGPASSWORD", "PGUSER", "HWA_DATABASE_PASSWORD_FILE", "HWA_CONFIG_DIR", "HWA_STATE_DIR"].contains(
                    $0.key)
            },
            secretEnvironment: ["PGPASSWORD"], crashPoints: crashPoints, workers: workers,
            maxKillDelay: .milliseconds(Int(killDelay * 1000)), deadline: started + .seconds(timeoutSeconds),
            runner: ProcessRunner(logger: logger))
        let phases = [CommissioningWorkflows.intelligent, FirmwareWorkflows.firmwareFirst]
        let audit = CrashAudit(store: shared, lab: lab, user: settings.user, password: settings.password)
        let kills = kills
        let nodeIDs = Dictionary(uniqueKeysWithValues: servers.indices.map { ("crash-\(seed)-\($0)", $0) })
        let outcome = try await lab.withServer { port in
            var figures = CrashAudit.Figures()
            var tally = CrashCampaign.Tally()
            for (number, name) in phases.enumerated() {
                guard let definition = definitions.first(where: { $0.name == name }) else {
                    throw CrashCampaign.Failure(message: "no workflow definition named \(name)")
                }
                let batch = "crash-\(seed)-\(number + 1)-\(name)"
                let before = lab.nodes.map { node in node.withState { $0.counters } }
                for (id, index) in nodeIDs.sorted(by: { $0.value < $1.value }) {
                    var input = CommissioningInput()
                    input.bmc = Lab.baseURL(port: port, index: index).absoluteString
                    input.credential = credential
                    // Every image in the repository, whatever its priority.
                    if name == FirmwareWorkflows.firmwareFirst { input.firmwarePolicy = "latest" }
                    _ = try await creator.create(definition: name, serverID: id, input: input.values, batch: batch)
                }
                // The budget left, split evenly over the batches still to come.
                let budget = (kills - tally.kills) / (phases.count - number)
                let driven = try await campaign.drive(kills: budget, seed: seed &+ UInt64(number) &* 0x9E37)
                tally.randomKills += driven.randomKills
                tally.pointKills.merge(driven.pointKills, uniquingKeysWith: +)
                tally.restarts += driven.restarts
                figures =
                    figures
                    + (try await audit.audit(batch: batch, definition: definition, nodes: nodeIDs, before: before))
            }
            return (figures, tally)
        }
        let report = Report(
            seed: seed, store: postgres ? "postgres" : "sqlite", nodes: nodes, workers: workers,
            kills: outcome.1.kills, randomKills: outcome.1.randomKills, crashPointKills: outcome.1.pointKills,
            restarts: outcome.1.restarts, figures: outcome.0,
            wallSeconds: BenchFigures.seconds(ContinuousClock.now - started))
        print(try Terminal.json(report))
        if !outcome.0.isClean { throw ExitCode(1) }
    }

    /// A lab whose servers cycle through the vendors (every unified type but the pair no classifier tells apart).
    static func labConfig(nodes: Int, catalog: Catalog) -> LabConfig {
        let types = catalog.sortedDeviceTypes().filter {
            $0.origin == .unified && !$0.name.hasPrefix("flex-6258R.c.")
        }
        let byVendor = Dictionary(grouping: types, by: \.vendor).sorted { $0.key < $1.key }.map(\.value)
        var interleaved: [String] = []
        for round in 0..<(byVendor.map(\.count).max() ?? 0) {
            interleaved += byVendor.compactMap { round < $0.count ? $0[round].name : nil }
        }
        var config = LabConfig()
        config.nodes = nodes
        config.unknown = 0
        config.types = interleaved
        return config
    }

    /// A repository in `folder` with BMC and BIOS images newer than the lab's, for Supermicro and HPE.
    static func firmwareRepository(in folder: URL) throws -> String {
        let library = FirmwareLibrary(directory: folder.appendingPathComponent("firmware"))
        let incoming = folder.appendingPathComponent("incoming")
        try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true)
        for (vendor, component, version) in [
            ("supermicro", FirmwareComponent.bmc, "1.74.06"), ("supermicro", .bios, "1.6"), ("hpe", .bmc, "1.80"),
            ("hpe", .bios, "U30 v2.60"),
        ] {
            let file = incoming.appendingPathComponent("\(vendor)-\(component.rawValue)-\(version).img")
            try LabFirmwareImage.make(component: component.rawValue, version: version).write(to: file)
            try library.add(file: file, vendor: vendor, component: component, version: version, priority: .high)
        }
        return library.directory.path
    }
}

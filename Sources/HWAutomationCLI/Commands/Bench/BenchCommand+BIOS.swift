import ArgumentParser
import BIOS
import Catalog
import Foundation
import Lab
import Logging
import Orchestration
import Redfish

/// `hwautomation bench bios`.
struct BenchBIOSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bios",
        abstract:
            "One BIOS apply, as `bios apply` does it, against any BMC or a lab BMC; its requests by path, as JSON.",
        discussion: """
            Plans and applies a device type's BIOS settings once (find the system and its Bios resource, plan \
            against current and pending values, one PATCH, one reset, wait for the end of POST, read every value \
            back) and reports the requests that apply sent, by method and path, its resets and its wall time. With \
            --registry warm (the default) the BIOS attribute registry is read first by another client, as a batch's \
            earlier servers or a registry kept on disk would have it; cold counts reading it. Then, unless --keep, \
            the values the apply replaced are put back (not counted), so the next run has the same work to do. \
            --lab serves one lab BMC of --type's vendor and model in this process instead of --redfish. Use --auth basic \
            to count without a session's login and logout.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var type: DeviceTypeOption
    @OptionGroup var bmc: RedfishOptions
    @Option(help: ArgumentHelp("The system behind the BMC (its Id), when it has several.", valueName: "id"))
    var system: String?
    @Flag(help: "Serve one lab BMC of the type's vendor in this process instead of --redfish.") var lab = false
    @Option(help: ArgumentHelp("warm (read the registry beforehand, uncounted) or cold.", valueName: "state"))
    var registry: RegistryState = .warm
    @Option(help: "Seconds from the reset to the first poll for the end of POST.") var firstPollSeconds = 2.0
    @Option(help: "Seconds between polls for the end of POST.") var pollSeconds = 1.0
    @Option(help: "The lab BMC's POST time in seconds (with --lab).") var postSeconds = 1.0
    @Flag(help: "Leave the new values in place (default: put the old ones back afterwards, uncounted).")
    var keep = false
    @Flag(help: "Print JSON (the default and only format; accepted for symmetry).") var json = false

    enum RegistryState: String, ExpressibleByArgument, CaseIterable, Encodable {
        case warm, cold
    }

    func validate() throws {
        guard lab != (bmc.redfish != nil) else { throw ValidationError("give one of --redfish URL or --lab") }
        guard firstPollSeconds >= 0, pollSeconds > 0, postSeconds >= 0 else {
            throw ValidationError("--first-poll-seconds and --post-seconds must be 0 or more, --poll-seconds above 0")
        }
    }

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        let deviceType = try type.resolve(in: catalog)
        let desired = try type.desired(deviceType, catalog)
        var logger = Logger(label: "hwautomation.bench")
        logger.logLevel = .critical
        let report: BenchBIOSReport
        if lab {
            var config = LabConfig()
            config.nodes = 1
            config.types = [deviceType.name]
            var settings = config.bmcSettings
            settings.postSeconds = postSeconds
            settings.password = UUID().uuidString
            let server = Lab(servers: try config.servers(catalog: catalog), settings: settings, logger: logger)
            report = try await server.withServer { [settings, logger] port in
                try await measure(
                    RedfishEndpoint(
                        baseURL: Lab.baseURL(port: port, index: 0), username: settings.user,
                        password: settings.password, preferSessions: bmc.auth == .session),
                    desired: desired, type: deviceType, catalog: catalog, logger: logger,
                    bmcResets: { server.nodes[0].withState { $0.counters.resets } })
            }
        } else {
            report = try await measure(
                try await bmc.endpoint(), desired: desired, type: deviceType, catalog: catalog, logger: logger)
        }
        print(try Terminal.json(report))
        if !report.succeeded { throw ExitCode(1) }
    }

    /// Primes the registry (warm), applies once on a fresh client and reports it; then restores unless `keep`.
    /// `bmcResets`: the resets the BMC itself counted so far (a lab BMC), when known.
    private func measure(
        _ endpoint: RedfishEndpoint, desired: DesiredBIOSState, type: DeviceType, catalog: Catalog, logger: Logger,
        bmcResets: @Sendable () -> Int? = { nil }
    ) async throws -> BenchBIOSReport {
        let registries = RegistryCache()
        let resetsBefore = bmcResets()
        if registry == .warm {
            let primer = try RedfishClient(endpoint: endpoint, logger: logger)
            try await RedfishBIOS(client: primer, logger: logger, registries: registries).discover(system: system)
            await primer.close()
        }
        let client = try RedfishClient(endpoint: endpoint, logger: logger)
        let bios = RedfishBIOS(client: client, logger: logger, registries: registries)
        let sink = MemoryBackupSink()
        let clock = ContinuousClock()
        var applied: RedfishBIOS.Report?
        var failure: (any Error)?
        let elapsed = await clock.measure {
            do {
                try await bios.discover(system: system)
                let plan = try await bios.plan(desired, type: type, catalog: catalog)
                applied = try await bios.apply(
                    plan, backupTo: sink, firstPoll: .milliseconds(Int(firstPollSeconds * 1000)),
                    poll: .milliseconds(Int(pollSeconds * 1000)))
            } catch {
                failure = error
            }
            await client.close()
        }
        let counters = await client.counters
        let resets = bmcResets().flatMap { after in resetsBefore.map { after - $0 } }
        if let failure {
            throw CommandFailure("\(failure)")
        }
        var restored: Bool?
        if !keep, applied?.patched == true, let backup = await sink.backups.last {
            restored = try await restore(backup, endpoint: endpoint, registries: registries, logger: logger)
        }
        return BenchBIOSReport(
            bmc: endpoint.host, deviceType: type.name, registry: registry,
            auth: endpoint.preferSessions
                ? "session" : "basic",
            seconds: BenchFigures.seconds(elapsed), counters: counters, resets: resets, report: applied,
            restored: restored)
    }

    /// Puts `backup`'s values back on a client of its own; whether every value reads back.
    private func restore(
        _ backup: BIOSBackup, endpoint: RedfishEndpoint, registries: RegistryCache, logger: Logger
    ) async throws -> Bool {
        let (system, firstPoll, poll) = (
            self.system, Duration.milliseconds(Int(firstPollSeconds * 1000)),
            Duration.milliseconds(Int(pollSeconds * 1000))
        )
        return try await RedfishClient(endpoint: endpoint, logger: logger).closing { client in
            let bios = RedfishBIOS(client: client, logger: logger, registries: registries)
            try await bios.discover(system: system)
            let plan = try await bios.restorePlan(backup)
            return try await bios.apply(plan, backupTo: MemoryBackupSink(), firstPoll: firstPoll, poll: poll).succeeded
        }
    }
}

/// `bench bios`'s figures.
struct BenchBIOSReport: Encodable {
    var benchmark = "bios"
    var build = BenchFigures.build
    var bmc: String
    var deviceType: String
    var registry: BenchBIOSCommand.RegistryState
    var auth: String
    var seconds: Double
    var requests: Int
    var requestsByMethod: [String: Int]
    var requestsByPath: [String: Int]
    /// Reset requests sent (a BMC that refused one as busy gets it again).
    var resetRequests: Int
    /// Resets the BMC carried out, when it counts them (a lab BMC); nil for any other BMC.
    var resets: Int?
    var changes: Int
    var verified: Int
    var succeeded: Bool
    var restored: Bool?
    var targetRequestsWarm = 6
    var targetRequestsCold = 8

    init(
        bmc: String, deviceType: String, registry: BenchBIOSCommand.RegistryState, auth: String, seconds: Double,
        counters: RedfishCounters, resets: Int?, report: RedfishBIOS.Report?, restored: Bool?
    ) {
        self.bmc = bmc
        self.deviceType = deviceType
        self.registry = registry
        self.auth = auth
        self.seconds = (seconds * 1000).rounded() / 1000
        requests = counters.requests
        requestsByMethod = [
            "GET": counters.gets, "PATCH": counters.patches, "POST": counters.posts,
            "DELETE": counters.deletes,
        ]
        requestsByPath = counters.byPath
        self.resets = resets
        resetRequests = counters.byPath.filter { $0.key.hasPrefix("POST ") && $0.key.hasSuffix("ComputerSystem.Reset") }
            .values.reduce(0, +)
        changes = report?.plan.redfishChanges.count ?? 0
        verified = report?.verified.values.filter { $0 }.count ?? 0
        succeeded = report?.succeeded ?? false
        self.restored = restored
    }

    enum CodingKeys: String, CodingKey {
        case benchmark, build, bmc, registry, auth, seconds, requests, resets, changes, verified, succeeded, restored
        case deviceType = "device_type"
        case requestsByMethod = "requests_by_method"
        case requestsByPath = "requests_by_path"
        case resetRequests = "reset_requests"
        case targetRequestsWarm = "target_requests_warm"
        case targetRequestsCold = "target_requests_cold"
    }
}

import ArgumentParser
import BIOS
import Catalog
import Firmware
import Foundation
import Logging
import Orchestration
import Remote
import Store
import WorkflowEngine

/// How workflows run: concurrency limits and host waits.
struct EngineOptions: ParsableArguments {
    @Option(help: "Workflows running at once.") var concurrency = 16
    @Option(name: .customLong("per-bmc"), help: "Mutating steps at once on one BMC.") var perBMC = 1
    @Option(name: .customLong("per-vendor"), help: "Mutating steps at once on one vendor's servers.")
    var perVendor = 64
    @Option(
        name: .customLong("host-timeout"),
        help: ArgumentHelp("Seconds a host may take to come back after a reset.", valueName: "seconds"))
    var hostTimeout = 1800
    @Option(
        name: .customLong("first-poll"),
        help: ArgumentHelp("Seconds before the first look at a resetting host.", valueName: "seconds"))
    var firstPoll = 10.0
    @Option(
        name: .customLong("firmware-dir"),
        help: ArgumentHelp(
            "Firmware repository for the firmware workflows. Default: $HWA_FIRMWARE_DIR, else ./firmware.",
            valueName: "dir"))
    var firmwareDirectory: String?
    @Option(
        name: .customLong("image-base-url"),
        help: ArgumentHelp(
            "Where BMCs fetch images for SimpleUpdate (a `firmware serve` of the same repository). Default: "
                + "$HWA_FIRMWARE_IMAGE_URL; without it images are pushed (multipart).", valueName: "url"))
    var imageBaseURL: String?

    func validate() throws {
        guard concurrency >= 1, perBMC >= 1, perVendor >= 1 else {
            throw ValidationError("--concurrency, --per-bmc and --per-vendor must be at least 1")
        }
    }

    /// An engine over `store` that knows the commissioning workflows of `catalog`.
    func engine(
        store: any Store, catalog: Catalog, logger: Logger, leaseTimeout: Duration = .seconds(60),
        redfishUsage: (@Sendable (RedfishUsage) -> Void)? = nil
    ) -> Engine {
        Self.engine(
            store: store, catalog: catalog, logger: logger,
            limits: Engine.Limits(global: concurrency, perBMC: perBMC, perVendor: perVendor),
            hostTimeout: .seconds(hostTimeout), firstPoll: .milliseconds(Int(firstPoll * 1000)),
            firmwareDirectory: firmwareDirectory, imageBaseURL: imageBaseURL, leaseTimeout: leaseTimeout,
            redfishUsage: redfishUsage)
    }

    /// An engine with `limits` (commands that only inspect or cancel runs use the defaults).
    static func engine(
        store: any Store, catalog: Catalog, logger: Logger, limits: Engine.Limits = Engine.Limits(),
        hostTimeout: Duration = .seconds(1800), firstPoll: Duration = .seconds(10), firmwareDirectory: String? = nil,
        imageBaseURL: String? = nil, leaseTimeout: Duration = .seconds(60),
        redfishUsage: (@Sendable (RedfishUsage) -> Void)? = nil
    ) -> Engine {
        let environment = ProcessInfo.processInfo.environment
        let maas = environment["HWA_MAAS_URL"].flatMap(URL.init(string:)).flatMap { url in
            environment["HWA_MAAS_API_KEY"].map { (url: url, apiKey: $0) }
        }
        var services = CommissioningServices(
            catalog: catalog, store: store, runner: ProcessRunner(logger: logger), hostTimeout: hostTimeout,
            firstPoll: firstPoll, maas: maas, redfishUsage: redfishUsage, logger: logger)
        // BIOS registries read by any run stay for the next ones and the next process (one read per model and BIOS).
        services.registries = RegistryCache(directory: RegistryCache.defaultDirectory())
        let library = FirmwareLibrary(
            directory: firmwareDirectory.map { URL(fileURLWithPath: $0) } ?? FirmwareLibrary.defaultDirectory())
        services.firmware = FirmwareServices(
            library: library,
            options: FirmwareUpdater.Options(
                imageBaseURL: (imageBaseURL ?? environment["HWA_FIRMWARE_IMAGE_URL"]).flatMap(URL.init(string:))))
        return Engine(
            repository: store, definitions: CommissioningWorkflows.definitions(services), limits: limits,
            leaseTimeout: leaseTimeout, logger: logger)
    }
}

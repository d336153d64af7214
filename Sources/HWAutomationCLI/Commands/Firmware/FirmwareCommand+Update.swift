import ArgumentParser
import BIOS
import Catalog
import Firmware
import Foundation
import Logging
import Orchestration
import Redfish

struct FirmwareUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Plan by policy and flash: BMC first (no host reset), BIOS staged then one reset; verified.",
        discussion: """
            Every image's SHA-256 is checked before any request. Images are pushed (multipart) when the BMC offers \
            MultipartHttpPushUri, else fetched by the BMC with SimpleUpdate from our file server: give \
            --image-base-url for a running `firmware serve`, or --serve HOST:PORT to serve for the length of this \
            command (HOST must be an address the BMC reaches). When the BMC's UpdateService cannot take an image \
            (none, or it refuses the push), the vendor's tool flashes it (SUM, iLOrest, racadm; \
            --vendor-tool-path). A failed update is rolled back to the previous \
            version when the repository has it; the error says which version the server runs.
            """)

    @OptionGroup var bmc: RedfishOptions
    @Option(help: ArgumentHelp("The system when the BMC has several (its Id).", valueName: "id")) var system: String?
    @Option(help: "The device type (its vendor picks the images).") var type: String?
    @Option(help: "The vendor, when no --type (default: the BMC's Manufacturer).") var vendor: String?
    @Option(help: "Update policy (default: recommended).") var policy: String?
    @Flag(help: "Approve what a manual policy holds back.") var approve = false
    @Option(help: "auto (multipart when offered), simple or multipart.") var transfer: FirmwareUpdater.Transfer = .auto
    @Option(
        name: .customLong("image-base-url"),
        help: ArgumentHelp("Where the BMC fetches images (a `firmware serve`).", valueName: "url"))
    var imageBaseURL: String?
    @Option(help: ArgumentHelp("Serve the repository here while updating.", valueName: "host:port")) var serve: String?
    @Option(
        name: .customLong("host-timeout"),
        help: ArgumentHelp("Seconds a host may take to come back after a reset.", valueName: "seconds"))
    var hostTimeout = 1800
    @Flag(name: .customLong("dry-run"), help: "Check the images and print what would be sent; change nothing.")
    var dryRun = false
    @OptionGroup var repository: FirmwareRepositoryOptions
    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var vendorTool: VendorToolOptions
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard bmc.redfish != nil else { throw ValidationError("--redfish is required") }
        if imageBaseURL != nil, serve != nil { throw ValidationError("give --image-base-url or --serve, not both") }
    }

    func run() async throws {
        let logger = Logger(label: "hwautomation.firmware")
        let catalog = try catalogOptions.load().catalog
        let library = repository.library
        let images = try repository.images()
        let client = try await bmc.client(logger: logger)
        let (serve, imageBaseURL) = (self.serve, self.imageBaseURL)
        try await exitingOnError {
            try await client.closing { client in
                if let serve {
                    guard let colon = serve.lastIndex(of: ":"), let port = Int(serve[serve.index(after: colon)...])
                    else {
                        throw ValidationError("--serve needs host:port")
                    }
                    let host = String(serve[..<colon])
                    var quiet = logger
                    quiet.logLevel = .warning
                    let server = FirmwareFileServer(library: library, logger: quiet)
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
                        group.addTask { try await server.serve(host: host, port: port) { continuation.yield($0) } }
                        var iterator = ports.makeAsyncIterator()
                        guard let bound = await iterator.next() else { throw CancellationError() }
                        try await update(
                            client: client, catalog: catalog, library: library, images: images,
                            base: URL(string: "http://\(host):\(bound)"), logger: logger)
                        group.cancelAll()
                    }
                } else {
                    try await update(
                        client: client, catalog: catalog, library: library, images: images,
                        base: imageBaseURL.flatMap(URL.init(string:)), logger: logger)
                }
            }
        }
    }

    private func update(
        client: RedfishClient, catalog: Catalog, library: FirmwareLibrary, images: [FirmwareImage], base: URL?,
        logger: Logger
    ) async throws {
        let (target, inventory) = try await FirmwarePlanCommand.live(
            client: client, catalog: catalog, system: system, type: type, vendor: vendor)
        let plan = try FirmwarePlanner(catalog: catalog, images: images).plan(
            server: bmc.redfish ?? "", target: target, inventory: inventory, policyName: policy, approve: approve)
        // Checksums first: a mismatch is refused before any request to the BMC.
        for item in plan.updates { if let image = item.target { try library.verify(image) } }
        if dryRun || plan.updates.isEmpty {
            if json {
                print(try Terminal.json(plan))
            } else {
                print(FirmwarePlanCommand.render(plan))
                if dryRun, !plan.updates.isEmpty {
                    print("dry run: images verified; nothing sent")
                }
            }
            return
        }
        var options = FirmwareUpdater.Options(imageBaseURL: base)
        options.transfer = transfer
        options.system = system
        options.safety = catalog.settings.firmware
        options.retryDelay = .seconds(catalog.settings.firmware.retryDelaySeconds)
        options.hostTimeout = .seconds(hostTimeout)
        options.fallbackTool = try vendorTool.firmwareTool(
            vendor: target.vendor, catalog: catalog, bmc: bmc, logger: logger)
        let updater = FirmwareUpdater(client: client, library: library, options: options, logger: logger)
        let json = self.json
        let outcomes = try await updater.run(plan, resetHost: true) { message, percent in
            if !json { print("  \(message)" + (percent.map { " (\($0)%)" } ?? "")) }
        }
        if json {
            print(try Terminal.json(outcomes))
        } else {
            for outcome in outcomes {
                print(
                    "\(outcome.component.rawValue): \(outcome.from ?? "?") → \(outcome.to) (\(outcome.method), "
                        + "\(outcome.state), verified)")
            }
        }
    }
}

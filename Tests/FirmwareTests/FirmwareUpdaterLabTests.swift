import BIOS
import Catalog
import Foundation
import Inventory
import Lab
import Logging
import Orchestration
import Redfish
import Remote
import Synchronization
import TestSupport
import Testing
import VendorTools

@testable import Firmware

/// Updates against the lab's BMCs: multipart push and SimpleUpdate from our file server, task progress, BMC
/// firmware without a host reset, BIOS firmware staged for one reset, rollback, checksum refusal.
@Suite("Firmware updates against the lab")
struct FirmwareUpdaterLabTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog
    let logger = Logger(label: "firmware-tests")

    /// A lab of one Supermicro server (BMC 1.73.14, BIOS 1.4) on a manual clock, and a repository.
    func withLab(
        _ body: @escaping @Sendable (Lab, RedfishClient, ScratchRepository) async throws -> Void
    ) async throws {
        let type = try #require(Self.catalog.deviceType(named: "s2.c2.small"))
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0
        settings.taskPolls = 3
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], settings: settings, clock: ManualLabClock())
        let scratch = ScratchRepository()
        defer { scratch.remove() }
        let logger = logger
        try await lab.withServer { port in
            let client = try RedfishClient(
                endpoint: RedfishEndpoint(
                    baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password",
                    maxTaskPoll: .milliseconds(10)),
                logger: logger)
            do {
                try await body(lab, client, scratch)
                await client.close()
            } catch {
                await client.close()
                throw error
            }
        }
    }

    func add(
        _ scratch: ScratchRepository, _ component: String, _ version: String, fault: LabFirmwareImage.Fault? = nil
    ) throws -> FirmwareImage {
        try scratch.library.add(
            file: try scratch.file(
                "\(component)-\(version)\(fault == nil ? "" : "-bad").img",
                LabFirmwareImage.make(component: component, version: version, fault: fault)),
            vendor: "supermicro", component: component == "bmc" ? .bmc : .bios, version: version)
    }

    func options(_ base: URL? = nil) -> FirmwareUpdater.Options {
        var options = FirmwareUpdater.Options(imageBaseURL: base)
        options.retryDelay = .milliseconds(10)
        options.activationPoll = .milliseconds(10)
        options.firstPoll = .milliseconds(1)
        options.hostTimeout = .seconds(60)
        return options
    }

    @Test("multipart push of BMC firmware: the task's progress is followed, it runs 1.74.06 and the host never resets")
    func bmcMultipart() async throws {
        try await withLab { lab, client, scratch in
            let image = try add(scratch, "bmc", "1.74.06")
            let before = try await client.firmwareInventory()
            #expect(before.version(of: .bmc) == "1.73.14")
            #expect(before.source == "redfish")
            let seen = Mutex<[Int]>([])
            let updater = FirmwareUpdater(client: client, library: scratch.library, options: options(), logger: logger)
            let outcome = try await updater.flash(image, previous: "1.73.14") { _, percent in
                if let percent { seen.withLock { $0.append(percent) } }
            }
            #expect(outcome.method == "multipart")
            #expect(outcome.state == "active")
            #expect(outcome.task != nil)
            let percents = seen.withLock { $0 }
            #expect(percents.count >= 3)
            #expect(percents.last == 100)
            #expect(percents == percents.sorted())
            #expect(try await client.firmwareInventory().version(of: .bmc) == "1.74.06")
            let counters = lab.nodes[0].withState { $0.counters }
            #expect(counters.resets == 0)
            #expect(counters.firmwareUpdates == 1)
        }
    }

    @Test("SimpleUpdate from our file server: the BMC downloads the image; BIOS staged, one reset, then it runs")
    func biosSimpleUpdate() async throws {
        try await withLab { lab, client, scratch in
            let image = try add(scratch, "bios", "1.6")
            let logger = logger
            try await FirmwareFileServer(library: scratch.library, logger: logger).withServer { base in
                var options = options(base)
                options.transfer = .simple
                let updater = FirmwareUpdater(
                    client: client, library: scratch.library, options: options, logger: logger)
                let plan = FirmwarePlan(
                    server: "lab-0", policy: "latest",
                    items: [
                        FirmwarePlanItem(
                            component: .bios, current: "1.4", available: "1.6", target: image, decision: .install,
                            reason: "test", behindBy: 1, estimatedSeconds: nil)
                    ])
                let staged = try await updater.run(plan, resetHost: false)
                #expect(staged.map(\.state) == ["staged"])
                #expect(staged.first?.method == "simple-update")
                let inventory = try await client.firmwareInventory()
                #expect(inventory.version(of: .bios) == "1.4")
                #expect(inventory.items.contains { $0.version == "1.6" && $0.state == "StandbyOffline" })
                #expect(lab.nodes[0].withState { $0.counters.resets } == 0)
                // A later attempt (after an interruption) finds the image staged and does not flash it again.
                let again = try await updater.run(plan, resetHost: false, skippingPresent: true)
                #expect(again.map(\.method) == ["present"] && again.map(\.state) == ["staged"])
                #expect(lab.nodes[0].withState { $0.counters.firmwareUpdates } == 1)
                let done = try await updater.run(plan, resetHost: true)
                #expect(done.map(\.state) == ["active"])
                #expect(try await client.firmwareInventory().version(of: .bios) == "1.6")
                #expect(lab.nodes[0].withState { $0.counters.resets } == 1)
            }
        }
    }

    @Test("a failing BMC update is rolled back to the recorded previous version; the error says what runs")
    func rollback() async throws {
        try await withLab { lab, client, scratch in
            _ = try add(scratch, "bmc", "1.73.14")
            let bad = try add(scratch, "bmc", "1.80.00", fault: .exception)
            let updater = FirmwareUpdater(client: client, library: scratch.library, options: options(), logger: logger)
            let error = await #expect(throws: FirmwareError.self) {
                _ = try await updater.flash(bad, previous: "1.73.14")
            }
            #expect(error?.message.contains("update to 1.80.00 failed") == true)
            #expect(error?.message.contains("Image verification failed") == true)
            #expect(error?.message.contains("rolled back: bmc runs 1.73.14 again") == true)
            let inventory = try await client.firmwareInventory()
            #expect(inventory.version(of: .bmc) == "1.73.14")
            #expect(inventory.items.first { $0.component == .bmc }?.health == "OK")
            #expect(lab.nodes[0].withState { $0.counters.firmwareUpdates } == 2)
            #expect(lab.nodes[0].withState { $0.counters.resets } == 0)
        }
    }

    @Test("without the previous image the error reports the BMC's state instead of a rollback")
    func noRollbackImage() async throws {
        try await withLab { _, client, scratch in
            let bad = try add(scratch, "bmc", "1.80.00", fault: .exception)
            let updater = FirmwareUpdater(client: client, library: scratch.library, options: options(), logger: logger)
            let error = await #expect(throws: FirmwareError.self) {
                _ = try await updater.flash(bad, previous: "1.73.14")
            }
            #expect(error?.message.contains("no image of the previous version 1.73.14") == true)
            #expect(error?.message.contains("the BMC reports bmc recovery (health Critical)") == true)
        }
    }

    @Test("a checksum mismatch is refused before any request reaches the BMC")
    func checksumBeforeRequest() async throws {
        try await withLab { lab, client, scratch in
            let image = try add(scratch, "bmc", "1.74.06")
            try Data("tampered".utf8).write(to: scratch.library.url(of: image))
            let updater = FirmwareUpdater(client: client, library: scratch.library, options: options(), logger: logger)
            let error = await #expect(throws: FirmwareError.self) {
                _ = try await updater.flash(image, previous: "1.73.14")
            }
            #expect(error?.kind == .checksum)
            #expect(lab.nodes[0].withState { $0.counters.requests } == 0)
            #expect(await client.requestCount == 0)
        }
    }
}

/// The vendor tool as the fallback when the UpdateService refuses an image (an unlicensed Supermicro BMC).
@Suite("Firmware through the vendor tool")
struct FirmwareToolFallbackTests {
    @Test("an unlicensed Supermicro BMC refuses BIOS firmware over Redfish; SUM flashes it, the password on stdin")
    func sumFallback() async throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        var settings = SimulatedBMC.Settings()
        settings.supermicroLicensed = false
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], settings: settings, clock: ManualLabClock())
        let standIn = try StandInTool(
            name: "sum",
            body: """
                PW=$(head -n 1 "$CALL/stdin")
                [ "$PW" = "$EXPECTED" ] || { echo "login failed" >&2; exit 1; }
                exit 0
                """)
        defer { standIn.remove() }
        let scratch = ScratchRepository()
        defer { scratch.remove() }
        let image = try scratch.library.add(
            file: try scratch.file("bios-1.6.img", LabFirmwareImage.make(component: "bios", version: "1.6")),
            vendor: "supermicro", component: .bios, version: "1.6")
        let logger = Logger(label: "firmware-tool")
        try await lab.withServer { port in
            let client = try RedfishClient(
                endpoint: RedfishEndpoint(
                    baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password",
                    maxTaskPoll: .milliseconds(10)),
                logger: logger)
            var options = FirmwareUpdater.Options()
            options.fallbackTool =
                VendorToolKind.sum.tool(
                    executable: standIn.executable.path, host: "127.0.0.1", user: "ADMIN", password: standIn.password,
                    runner: ProcessRunner(logger: logger), logger: logger, timeout: .seconds(60))
                as? any VendorFirmwareTool
            let updater = FirmwareUpdater(client: client, library: scratch.library, options: options, logger: logger)
            let outcome = try await updater.flash(image, previous: "1.4")
            await client.close()
            #expect(outcome.method == "sum")
            #expect(outcome.state == "staged")
            #expect(lab.nodes[0].withState { $0.counters.firmwareUpdates } == 0)
        }
        let calls = try standIn.calls()
        #expect(calls.count == 1)
        let call = try #require(calls.first)
        #expect(
            call.arguments == [
                "-i", "127.0.0.1", "-u", "ADMIN", "-c", "UpdateBios", "--file", scratch.library.url(of: image).path,
            ])
        #expect(!call.arguments.joined(separator: " ").contains(standIn.password))
        #expect(!call.passwordInEnvironment)
    }
}

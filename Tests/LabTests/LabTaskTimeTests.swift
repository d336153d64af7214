import Foundation
import Redfish
import Testing

@testable import Lab

/// Firmware update tasks finish with lab time, as a real BMC's do, whether or not the client that started them is
/// still there to poll: over real HTTP, on a manual clock, never polling the task's monitor until it is done.
@Suite("Lab tasks progress with time")
struct LabTaskTimeTests {
    static let server = SimulatedBMCTests.server
    /// Seconds a task takes with the default settings.
    static let length = Double(SimulatedBMC.Settings().taskPolls + 1)

    @Test("an update nobody polls completes after its duration: the new version runs and a re-push is redundant")
    func completesUnpolled() async throws {
        let clock = ManualLabClock()
        let lab = Lab(servers: [Self.server], clock: clock)
        try await lab.withServer { port in
            let bmc = LabHTTP(port: port)
            let update = await bmc.simpleUpdate("bmc-1.80.bin")
            #expect(update.status == 202)
            let monitor = try #require(update.body?["@odata.id"].string)
            // A second before its time is up the task still runs: a change now is concurrent with it.
            clock.advance(by: Self.length - 1)
            #expect(await bmc.patchBIOS(["Bootmodeselect": .string("UEFI")]).status == 200)
            #expect(lab.nodes[0].withState { $0.counters.concurrentChanges } == 1)
            #expect(lab.nodes[0].withState { $0.bmcFirmware } == "1.73.14")
            // Its time is up: one unrelated GET, and the BMC runs the new firmware.
            clock.advance(by: 1)
            #expect(await bmc.send("GET", "/redfish/v1/Systems/1").status == 200)
            #expect(lab.nodes[0].withState { $0.bmcFirmware } == "1.80")
            let manager = await bmc.send("GET", "/redfish/v1/Managers/1")
            #expect(manager.body?["FirmwareVersion"].string == "1.80")
            let inventory = await bmc.send("GET", "/redfish/v1/UpdateService/FirmwareInventory/BMC")
            #expect(inventory.body?["Version"].string == "1.80")
            let tasks = await bmc.send("GET", "/redfish/v1/TaskService/Tasks")
            let member = try #require(tasks.body?["Members"].array.first?["@odata.id"].string)
            let task = await bmc.send("GET", member)
            #expect(task.body?["TaskState"].string == "Completed")
            #expect(task.body?["PercentComplete"].int == 100)
            // A client coming back to the monitor (a restarted worker) reads the outcome.
            let polled = await bmc.send("GET", monitor)
            #expect(polled.status == 200)
            #expect(polled.body?["TaskState"].string == "Completed")
            // The same image again: redundant, and concurrent with nothing.
            #expect(await bmc.simpleUpdate("bmc-1.80.bin").status == 202)
        }
        let counters = lab.nodes[0].withState { $0.counters }
        #expect(counters.firmwareUpdates == 2)
        #expect(counters.redundantFlashes == 1)
        #expect(counters.concurrentChanges == 1)
    }

    @Test("a task reports New, then Running with its percentage as lab time passes, read from TaskService/Tasks")
    func progressByTime() async throws {
        let clock = ManualLabClock()
        let lab = Lab(servers: [Self.server], clock: clock)
        try await lab.withServer { port in
            let bmc = LabHTTP(port: port)
            #expect(await bmc.simpleUpdate("bmc-1.80.bin").status == 202)
            let tasks = await bmc.send("GET", "/redfish/v1/TaskService/Tasks")
            let member = try #require(tasks.body?["Members"].array.first?["@odata.id"].string)
            var seen: [String] = []
            for _ in 0...Int(Self.length) {
                let task = await bmc.send("GET", member)
                seen.append("\(task.body?["TaskState"].string ?? "?") \(task.body?["PercentComplete"].int ?? -1)")
                clock.advance(by: 1)
            }
            #expect(seen == ["New 0", "Running 34", "Running 67", "Completed 100"])
        }
        #expect(lab.nodes[0].withState { $0.bmcFirmware } == "1.80")
    }

    @Test("the web server's restart after new BMC firmware starts when the task finished, not when a client asks")
    func restartFromCompletion() async throws {
        let clock = ManualLabClock()
        let lab = Lab(
            servers: [Self.server], clock: clock,
            faults: LabConfig.Faults(restartAfterUpdate: .init(seconds: 30, status: 503)))
        try await lab.withServer { port in
            let bmc = LabHTTP(port: port)
            #expect(await bmc.simpleUpdate("bmc-1.80.bin").status == 202)
            // Nobody asks until 20 s after the task finished: 10 s of the restart are left.
            clock.advance(by: Self.length + 20)
            #expect(await bmc.send("GET", "/redfish/v1").status == 503)
            clock.advance(by: 9)
            #expect(await bmc.send("GET", "/redfish/v1").status == 503)
            clock.advance(by: 1)
            let after = await bmc.send("GET", "/redfish/v1/UpdateService/FirmwareInventory/BMC")
            #expect(after.status == 200)
            #expect(after.body?["Version"].string == "1.80")
        }
        #expect(lab.nodes[0].withState { $0.counters.answersDuringRestart } == 2)
    }

    @Test("BIOS firmware nobody polls is staged when its task's time is up, and the next reset runs it")
    func biosStagedByTime() async throws {
        let clock = ManualLabClock()
        let lab = Lab(servers: [Self.server], clock: clock)
        try await lab.withServer { port in
            let bmc = LabHTTP(port: port)
            #expect(await bmc.simpleUpdate("bios-9.9.bin").status == 202)
            clock.advance(by: Self.length - 1)
            #expect(await bmc.send("GET", "/redfish/v1/UpdateService/FirmwareInventory/BIOS-Staged").status == 404)
            clock.advance(by: 1)
            // The reset is the first request after the task's time: the image is staged first, then applied.
            #expect(await bmc.reset().status == 204)
            // The new BIOS runs once POST (2 s of lab time) is over.
            clock.advance(by: 2)
            let system = await bmc.send("GET", "/redfish/v1/Systems/1")
            #expect(system.body?["BiosVersion"].string == "9.9")
        }
        #expect(lab.nodes[0].withState { $0.counters.redundantResets } == 0)
    }
}

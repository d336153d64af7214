import Catalog
import Foundation
import Inventory
import Redfish
import Testing

@testable import Lab

/// Faults by request kind and the ways a lab BMC lies like a real one, over real HTTP; every fault at rate 1.0,
/// so nothing depends on the seed's luck or on timing.
@Suite("Lab fault modes")
struct LabFaultModeTests {
    static let server = SimulatedBMCTests.server

    /// Reads `yaml` as a lab configuration file.
    static func load(_ yaml: String) throws -> LabConfig {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lab-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(yaml.utf8).write(to: file)
        return try LabConfig.load(file.path)
    }

    /// The message of the error `body` throws.
    static func failure(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test("the fault keys read from YAML; unknown kinds and keys, and bad values, are errors naming the key")
    func configuration() throws {
        let config = try Self.load(
            """
            faults:
              error_rate: 0.01
              error: {patch: 0.5}
              garbage: {get: 0.1}
              timeout: {update: 0.2}
              connection_reset: {session: 0.3}
              lost_answer: {patch: 0.3, reset: 1.0}
              lost_answer_status: 503
              no_answer: {update: 0.2}
              hang_seconds: 5
              slow: {reset: {rate: 0.5, ms: 2000}}
              restart_after_update: {seconds: 30, status: 503}
              seed: 9
            """)
        let faults = try #require(config.faults)
        #expect(faults.lostAnswer == ["patch": 0.3, "reset": 1.0])
        #expect(faults.lostAnswerStatus == 503)
        #expect(faults.noAnswer == ["update": 0.2])
        #expect(faults.hangSeconds == 5)
        #expect(faults.slow == ["reset": .init(rate: 0.5, ms: 2000)])
        #expect(faults.restartAfterUpdate == .init(seconds: 30, status: 503))
        #expect(faults.rate(.error, for: .patch) == 0.5)
        #expect(faults.rate(.error, for: .get) == 0.01)
        #expect(faults.rate(.error, for: nil) == 0.01)
        #expect(faults.rate(.reset, for: .session) == 0.3)

        let unknownKind = Self.failure { _ = try Self.load("faults: {lost_answer: {pach: 0.3}}\n") }
        #expect(unknownKind.contains("faults.lost_answer: `pach` is not a request kind"), "\(unknownKind)")
        let unknownSlowKind = Self.failure { _ = try Self.load("faults: {slow: {boot: {rate: 1, ms: 5}}}\n") }
        #expect(unknownSlowKind.contains("faults.slow: `boot` is not a request kind"), "\(unknownSlowKind)")
        let unknownKey = Self.failure { _ = try Self.load("faults: {lost_answers: {patch: 0.3}}\n") }
        #expect(unknownKey.contains("unknown key `lost_answers`"), "\(unknownKey)")
        let rate = Self.failure { _ = try Self.load("faults: {no_answer: {update: 2}}\n") }
        #expect(rate.contains("faults.no_answer.update: 2.0 is not a share"), "\(rate)")
        let status = Self.failure { _ = try Self.load("faults: {lost_answer_status: 404}\n") }
        #expect(status.contains("faults.lost_answer_status: 404 is not a 5xx"), "\(status)")
        let window = Self.failure { _ = try Self.load("faults: {restart_after_update: {seconds: 0}}\n") }
        #expect(window.contains("faults.restart_after_update.seconds"), "\(window)")
    }

    @Test("a per-kind rate replaces the global one: every PATCH refused (not performed), GETs served")
    func perKindError() async throws {
        let lab = Lab(servers: [Self.server], faults: LabConfig.Faults(errorRate: 0, error: ["patch": 1.0]))
        try await lab.withServer { port in
            let bmc = LabHTTP(port: port)
            #expect(await bmc.patchBIOS(["Bootmodeselect": .string("UEFI")]).status == 503)
            #expect(await bmc.send("GET", "/redfish/v1/Systems/1").status == 200)
        }
        #expect(lab.nodes[0].withState { $0.pendingAttributes.isEmpty })
        #expect(lab.nodes[0].withState { $0.counters.patches } == 0)
    }

    @Test("lost_answer on a PATCH: the settings are pending, the connection is reset; 503 with lost_answer_status")
    func lostPatchAnswer() async throws {
        let lab = Lab(servers: [Self.server], faults: LabConfig.Faults(lostAnswer: ["patch": 1.0]))
        try await lab.withServer { port in
            let bmc = LabHTTP(port: port)
            #expect(await bmc.patchBIOS(["Bootmodeselect": .string("UEFI")]).failed)
            #expect(await bmc.send("GET", "/redfish/v1/Systems/1").status == 200)
        }
        #expect(lab.nodes[0].withState { $0.pendingAttributes } == ["Bootmodeselect": .string("UEFI")])
        #expect(lab.nodes[0].withState { $0.counters.answersLost } == 1)

        let answering = Lab(
            servers: [Self.server], faults: LabConfig.Faults(lostAnswer: ["patch": 1.0], lostAnswerStatus: 503))
        try await answering.withServer { port in
            let bmc = LabHTTP(port: port)
            #expect(await bmc.patchBIOS(["Bootmodeselect": .string("UEFI")]).status == 503)
            // A PATCH the BMC refuses (an unknown attribute) is not performed, so its answer is not lost.
            #expect(await bmc.patchBIOS(["NoSuchThing": .string("x")]).status == 400)
        }
        #expect(answering.nodes[0].withState { $0.pendingAttributes } == ["Bootmodeselect": .string("UEFI")])
        #expect(answering.nodes[0].withState { $0.counters.patches } == 1)
    }

    @Test("no_answer: the update is performed, then the connection is held past the client's timeout")
    func noAnswer() async throws {
        let lab = Lab(
            servers: [Self.server], faults: LabConfig.Faults(noAnswer: ["update": 1.0], hangSeconds: 30))
        try await lab.withServer { port in
            let bmc = LabHTTP(port: port)
            let update = await bmc.simpleUpdate("bmc-1.80.bin", timeout: .milliseconds(300))
            #expect(update.failed)
            // The task the unanswered update started is listed.
            let tasks = await bmc.send("GET", "/redfish/v1/TaskService/Tasks")
            #expect(tasks.body?["Members"].array.count == 1)
        }
        let counters = lab.nodes[0].withState { $0.counters }
        #expect(counters.firmwareUpdates == 1)
        #expect(counters.answersWithheld == 1)
    }

    @Test("slow: the answer comes, after the extra delay; other kinds are not delayed")
    func slow() async throws {
        let lab = Lab(servers: [Self.server], faults: LabConfig.Faults(slow: ["reset": .init(rate: 1.0, ms: 5)]))
        try await lab.withServer { port in
            let bmc = LabHTTP(port: port)
            #expect(await bmc.reset().status == 204)
            #expect(await bmc.send("GET", "/redfish/v1/Systems/1").status == 200)
        }
        let counters = lab.nodes[0].withState { $0.counters }
        #expect(counters.slowedAnswers == 1)
        #expect(counters.resets == 1)
    }

    @Test(
        "after BMC firmware activates its web server restarts: connections reset for the window, then the new version")
    func restartAfterUpdate() async throws {
        for status in [nil, 503] {
            let clock = ManualLabClock()
            let lab = Lab(
                servers: [Self.server], clock: clock,
                faults: LabConfig.Faults(restartAfterUpdate: .init(seconds: 30, status: status)))
            try await lab.withServer { port in
                let bmc = LabHTTP(port: port)
                let update = await bmc.simpleUpdate("bmc-1.80.bin")
                #expect(update.status == 202)
                let monitor = try #require(update.body?["@odata.id"].string)
                let done = await bmc.finish(monitor)
                #expect(done.body?["TaskState"].string == "Completed")
                let during = await bmc.send("GET", "/redfish/v1/UpdateService/FirmwareInventory/BMC")
                #expect(during.status == status, "\(during)")
                clock.advance(by: 29)
                #expect(await bmc.send("GET", "/redfish/v1").status == status)
                clock.advance(by: 1)
                let after = await bmc.send("GET", "/redfish/v1/UpdateService/FirmwareInventory/BMC")
                #expect(after.status == 200)
                #expect(after.body?["Version"].string == "1.80")
            }
            #expect(lab.nodes[0].withState { $0.counters.answersDuringRestart } == 2)
        }
    }

    @Test("a BIOS firmware update (staged for a reset) does not restart the web server")
    func biosUpdateKeepsServing() async throws {
        let lab = Lab(
            servers: [Self.server], clock: ManualLabClock(),
            faults: LabConfig.Faults(restartAfterUpdate: .init(seconds: 30)))
        try await lab.withServer { port in
            let bmc = LabHTTP(port: port)
            let update = await bmc.simpleUpdate("bios-9.9.bin")
            let monitor = try #require(update.body?["@odata.id"].string)
            #expect(await bmc.finish(monitor).body?["TaskState"].string == "Completed")
            #expect(await bmc.send("GET", "/redfish/v1/UpdateService/FirmwareInventory/BIOS-Staged").status == 200)
        }
        #expect(lab.nodes[0].withState { $0.counters.answersDuringRestart } == 0)
    }
}

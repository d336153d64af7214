import Catalog
import Foundation
import Inventory
import Lab
import Logging
import TestSupport
import Testing

@testable import Redfish

/// Actions whose answer is lost after the BMC performed them (a reset connection, a 503): the client asks the BMC
/// what happened and never performs an action twice.
@Suite("Redfish lost answers: exactly-once actions")
struct RedfishLostAnswerTests {
    let logger = Logger(label: "redfish-lost-answers")
    static let system = "/bmc/0/redfish/v1/Systems/1"

    static func lab() -> Lab {
        let catalog = try! CatalogLoader.load(directory: nil).catalog
        let type = catalog.deviceType(named: "s2.c2.small")!
        // Time stands still: the host stays in POST after a reset, whatever the machine's speed.
        return Lab(servers: [ServerModel(deviceType: type, index: 1)], clock: ManualLabClock())
    }

    func client(_ port: Int) throws -> RedfishClient {
        try RedfishClient(
            endpoint: RedfishEndpoint(
                baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password",
                timeout: .seconds(10), maxTaskPoll: .milliseconds(10)),
            logger: logger)
    }

    @Test(
        "a reset performed whose answer is lost (connection reset, or 503) is confirmed, not repeated",
        arguments: [SimulatedBMC.LostAnswer.connectionReset, .serviceUnavailable])
    func lostReset(_ loss: SimulatedBMC.LostAnswer) async throws {
        let lab = Self.lab()
        try await lab.withServer { port in
            let client = try client(port)
            lab.nodes[0].withState { $0.lostAnswers[.reset] = [loss] }
            try await client.reset(system: Self.system, type: "ForceRestart")
            #expect(lab.nodes[0].withState { $0.counters.resets } == 1)
            #expect(lab.nodes[0].withState { $0.lostAnswers.isEmpty }, "the lost answer was served")
            // In POST: Supermicro says On through POST; BootProgress says where it is.
            #expect(
                !RedfishClient.postProgress(
                    try await client.fetch(Self.system).body, before: nil, sawPOST: false, polls: 1
                ).finished)
            await client.close()
        }
    }

    @Test("a 503 from a BMC that did not reset: the client confirms nothing happened and sends once more")
    func refusedReset() async throws {
        let lab = Self.lab()
        try await lab.withServer { port in
            let client = try client(port)
            lab.nodes[0].withState { $0.refusedActions[.reset] = 1 }
            try await client.reset(system: Self.system, type: "ForceRestart")
            #expect(lab.nodes[0].withState { $0.refusedActions.isEmpty }, "the refusal was served")
            #expect(lab.nodes[0].withState { $0.counters.resets } == 1)
            #expect(await client.counters.posts == 1 + 2, "the login, the refused reset and the one sent again")
            await client.close()
        }
    }

    @Test("power on from Off whose answer is lost: one power-on, confirmed by the power state")
    func lostPowerOn() async throws {
        let lab = Self.lab()
        try await lab.withServer { port in
            let client = try client(port)
            try await client.reset(system: Self.system, type: "ForceOff")
            lab.nodes[0].withState { $0.lostAnswers[.reset] = [.connectionReset] }
            try await client.reset(system: Self.system, type: "On")
            #expect(lab.nodes[0].withState { $0.counters.resets } == 1)
            // In POST: Supermicro says On through POST; BootProgress says where it is.
            #expect(
                !RedfishClient.postProgress(
                    try await client.fetch(Self.system).body, before: nil, sawPOST: false, polls: 1
                ).finished)
            await client.close()
        }
    }

    @Test("a SimpleUpdate whose answer is lost: one flash, and the client follows the task the BMC started")
    func lostSimpleUpdate() async throws {
        let lab = Self.lab()
        try await lab.withServer { port in
            let client = try client(port)
            lab.nodes[0].withState { $0.lostAnswers[.update] = [.connectionReset] }
            let done = try await client.action(
                "/bmc/0/redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate",
                .object(["ImageURI": .string("http://repo/bmc-1.74.06.bin")]))
            #expect(done.body["TaskState"].string == "Completed")
            #expect(lab.nodes[0].withState { $0.counters.firmwareUpdates } == 1)
            #expect(try await client.get("/bmc/0/redfish/v1/Managers/1")["FirmwareVersion"].string == "1.74.06")
            await client.close()
        }
    }

    @Test("a firmware push whose answer is lost (503): one flash; the answer names the BMC's task")
    func lostPush() async throws {
        let lab = Self.lab()
        try await lab.withServer { port in
            let client = try client(port)
            lab.nodes[0].withState { $0.lostAnswers[.update] = [.serviceUnavailable] }
            let answer = try await client.pushFirmware(
                "/bmc/0/redfish/v1/UpdateService/upload", parameters: .object([:]), fileName: "bios-3.1.bin",
                image: Data("firmware".utf8))
            #expect(answer.status == 202)
            let monitor = try #require(answer.location)
            let done = try await client.waitForTask(monitor)
            #expect(done.body["TaskState"].string == "Completed")
            #expect(lab.nodes[0].withState { $0.counters.firmwareUpdates } == 1)
            #expect(await client.counters.posts == 1 + 1, "the login and the push, not sent again")
            await client.close()
        }
    }

    @Test("a login whose answer is lost: the orphan session is deleted, one session is used, none is left behind")
    func lostSession() async throws {
        let lab = Self.lab()
        try await lab.withServer { port in
            let client = try client(port)
            lab.nodes[0].withState { $0.lostAnswers[.session] = [.connectionReset] }
            #expect(try await client.get(Self.system)["Id"].string == "1")
            #expect(lab.nodes[0].withState { $0.liveSessions } == 1)
            #expect(lab.nodes[0].withState { $0.counters.sessionsCreated } == 2)
            #expect(lab.nodes[0].withState { $0.counters.sessionsDeleted } == 1)
            await client.close()
            #expect(lab.nodes[0].withState { $0.liveSessions } == 0)
        }
    }

    @Test("an action nothing can confirm, whose answer is lost: a clear outcome-unknown error, sent once")
    func unknownOutcome() async throws {
        let lab = Self.lab()
        try await lab.withServer { port in
            let client = try client(port)
            _ = try await client.serviceRoot()
            lab.nodes[0].withState { $0.injectedFailures = [503] }
            await #expect {
                _ = try await client.post(
                    "/bmc/0/redfish/v1/AccountService/Accounts",
                    .object(["UserName": .string("operator"), "Password": .string("operator-pw")]))
            } throws: { error in
                guard let error = error as? RedfishError else { return false }
                return error.outcomeUnknown && error.kind == .refused && error.message.contains("may or may not")
            }
            #expect(await client.counters.posts == 1 + 1, "the login and the action, not sent again")
            await client.close()
        }
    }

    @Test("lab fault lost_answer {reset: 1.0}: every reset's answer is lost; each is performed once and confirmed")
    func labFaultLostAnswer() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lab-\(UUID().uuidString).yaml")
        try Data("faults: {lost_answer: {reset: 1.0}}\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let faults = try #require(try LabConfig.load(file.path).faults)
        #expect(faults.lostAnswer == ["reset": 1.0])
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], clock: ManualLabClock(), faults: faults)
        try await lab.withServer { port in
            let client = try client(port)
            try await client.reset(system: Self.system, type: "ForceOff")
            try await client.reset(system: Self.system, type: "On")
            #expect(lab.nodes[0].withState { $0.counters.resets } == 1)
            // In POST: Supermicro says On through POST; BootProgress says where it is.
            #expect(
                !RedfishClient.postProgress(
                    try await client.fetch(Self.system).body, before: nil, sawPOST: false, polls: 1
                ).finished)
            #expect(await client.counters.posts == 1 + 2, "the login and each reset once")
            await client.close()
        }
    }
}

import Foundation
import Redfish
import Testing

@testable import Lab

/// Lost and refused answers to actions, and the TaskService that tells what a BMC started (no sockets).
@Suite("Simulated BMC lost answers")
struct SimulatedBMCLostAnswerTests {
    @Test("a lost answer: the action is performed, then 503; a refused action is not performed; each served once")
    func lostAndRefusedAnswers() {
        var bmc = SimulatedBMC(server: SimulatedBMCTests.server)
        let reset = LabRequest(
            method: "POST", path: "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset",
            headers: SimulatedBMCTests.basic(),
            body: .object(["ResetType": .string("ForceRestart")]))
        bmc.lostAnswers[.reset] = [.serviceUnavailable]
        #expect(bmc.handle(reset, now: 0).status == 503)
        #expect(bmc.counters.resets == 1)
        #expect(bmc.powerState(at: 0) == "PoweringOn")
        #expect(bmc.lostAnswers.isEmpty)
        bmc.refusedActions[.reset] = 1
        #expect(bmc.handle(reset, now: 10).status == 503)
        #expect(bmc.counters.resets == 1)
        #expect(bmc.handle(reset, now: 10).status == 204)
        #expect(bmc.counters.resets == 2)
        bmc.lostAnswers[.session] = [.connectionReset]
        let login = bmc.handle(
            LabRequest(
                method: "POST", path: "/redfish/v1/SessionService/Sessions",
                body: .object(["UserName": .string("admin"), "Password": .string("password")])), now: 10)
        #expect(login.dropsConnection)
        #expect(bmc.liveSessions == 1)
    }

    @Test("a firmware update is listed in TaskService/Tasks with its monitor and image, and keeps its final state")
    func taskServiceLists() {
        var bmc = SimulatedBMC(server: SimulatedBMCTests.server)
        let update = bmc.handle(
            LabRequest(
                method: "POST", path: "/redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate",
                headers: SimulatedBMCTests.basic(), body: .object(["ImageURI": .string("http://repo/bmc-1.80.bin")])),
            now: 0)
        #expect(update.status == 202)
        let tasks = bmc.handle(
            LabRequest(method: "GET", path: "/redfish/v1/TaskService/Tasks", headers: SimulatedBMCTests.basic()), now: 0
        )
        let member = try? #require(tasks.body?["Members"].array.first?["@odata.id"].string)
        let task = bmc.handle(
            LabRequest(method: "GET", path: member ?? "-", headers: SimulatedBMCTests.basic()), now: 0)
        #expect(task.body?["TaskMonitor"].string == update.headers["Location"])
        #expect(task.body?["Payload"]["JsonBody"].string?.contains("bmc-1.80.bin") == true)
        for _ in 0...bmc.settings.taskPolls {
            _ = bmc.handle(
                LabRequest(method: "GET", path: update.headers["Location"] ?? "-", headers: SimulatedBMCTests.basic()),
                now: 0)
        }
        let finished = bmc.handle(
            LabRequest(method: "GET", path: member ?? "-", headers: SimulatedBMCTests.basic()), now: 0)
        #expect(finished.body?["TaskState"].string == "Completed")
    }
}

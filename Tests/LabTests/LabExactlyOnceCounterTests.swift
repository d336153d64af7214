import Foundation
import Inventory
import Redfish
import Testing

@testable import Lab

/// The counters a crash campaign reads to judge exactly-once: repeated PATCHes, resets and flashes, and changes
/// that overlap on one BMC, driven over real HTTP.
@Suite("Lab exactly-once counters")
struct LabExactlyOnceCounterTests {
    static let server = SimulatedBMCTests.server

    @Test("redundantPatches: a PATCH equal to the pending (else current) values; a changing one is not counted")
    func redundantPatches() async throws {
        let lab = Lab(servers: [Self.server], clock: ManualLabClock())
        try await lab.withServer { port in
            let bmc = LabHTTP(port: port)
            #expect(await bmc.patchBIOS(["Bootmodeselect": .string("UEFI")]).status == 200)
            // The same again: redundant.
            #expect(await bmc.patchBIOS(["Bootmodeselect": .string("UEFI")]).status == 200)
            // The current value while another is pending changes what the reset will apply: not redundant.
            #expect(await bmc.patchBIOS(["Bootmodeselect": .string("Legacy")]).status == 200)
            #expect(lab.nodes[0].withState { $0.counters.redundantPatches } == 1)
            #expect(await bmc.reset().status == 204)
            // Nothing pending now: a value equal to the current one is redundant.
            #expect(await bmc.patchBIOS(["Bootmodeselect": .string("Legacy")]).status == 200)
            let address = try #require(
                await bmc.send("GET", "/redfish/v1/Managers/1/EthernetInterfaces/1").body?["IPv4Addresses"].array
                    .first?["Address"].string)
            let same = await bmc.send(
                "PATCH", "/redfish/v1/Managers/1/EthernetInterfaces/1",
                body: .object(["IPv4StaticAddresses": .array([.object(["Address": .string(address)])])]))
            #expect(same.status == 200)
            // Refused PATCHes are not counted at all.
            #expect(await bmc.patchBIOS(["NoSuchThing": .string("x")]).status == 400)
        }
        let counters = lab.nodes[0].withState { $0.counters }
        #expect(counters.redundantPatches == 3)
        #expect(counters.patches == 5)
    }

    @Test("redundantResets: a restart with nothing pending and the host on or in POST; not after a change or from Off")
    func redundantResets() async throws {
        let clock = ManualLabClock()
        let lab = Lab(servers: [Self.server], clock: clock)
        try await lab.withServer { port in
            let bmc = LabHTTP(port: port)
            #expect(await bmc.reset().status == 204)  // on, nothing pending: redundant
            #expect(await bmc.patchBIOS(["Bootmodeselect": .string("UEFI")]).status == 200)
            #expect(await bmc.reset().status == 204)  // applies the PATCH
            #expect(await bmc.reset().status == 204)  // still in POST, nothing left to apply: redundant
            clock.advance(by: 60)
            #expect(await bmc.reset("ForceOff").status == 204)  // a power-off is never counted
            #expect(await bmc.reset("On").status == 204)  // powers on from Off
            #expect(await bmc.reset("Hibernate").status == 400)  // refused
        }
        let counters = lab.nodes[0].withState { $0.counters }
        #expect(counters.redundantResets == 2)
        #expect(counters.resets == 4)
    }

    @Test("redundantFlashes: the active, staged or in-flight version again; a new version is not counted")
    func redundantFlashes() async throws {
        let lab = Lab(servers: [Self.server], clock: ManualLabClock())
        let biosVersion = Self.server.biosVersion
        try await lab.withServer { port in
            let bmc = LabHTTP(port: port)
            func flash(_ file: String) async throws {
                let update = await bmc.simpleUpdate(file)
                #expect(update.status == 202, "\(file)")
                let monitor = try #require(update.body?["@odata.id"].string)
                #expect(await bmc.finish(monitor).body?["TaskState"].string == "Completed")
            }
            try await flash("bmc-1.73.14.bin")  // the active BMC version: redundant
            try await flash("bios-\(biosVersion).bin")  // the active BIOS version: redundant
            try await flash("bios-9.9.bin")  // new, staged until a reset
            try await flash("bios-9.9.bin")  // the staged version: redundant
            let first = await bmc.simpleUpdate("bmc-1.80.bin")  // new
            let second = await bmc.simpleUpdate("bmc-1.80.bin")  // the first's task is unfinished: redundant
            #expect(first.status == 202 && second.status == 202)
        }
        let counters = lab.nodes[0].withState { $0.counters }
        #expect(counters.firmwareUpdates == 6)
        #expect(counters.redundantFlashes == 4)
    }

    @Test("concurrentChanges: a change during an unfinished update task, or while another change is unanswered")
    func concurrentChanges() async throws {
        let lab = Lab(
            servers: [Self.server, Self.server], clock: ManualLabClock(),
            faults: LabConfig.Faults(noAnswer: ["patch": 1.0], hangSeconds: 60))
        try await lab.withServer { port in
            let bmc = LabHTTP(port: port, index: 0)
            let update = await bmc.simpleUpdate("bmc-1.80.bin")
            let monitor = try #require(update.body?["@odata.id"].string)
            #expect(await bmc.reset().status == 204)  // the update task is unfinished: concurrent
            #expect(await bmc.finish(monitor).body?["TaskState"].string == "Completed")
            #expect(await bmc.reset().status == 204)  // nothing in flight: not counted
            #expect(lab.nodes[0].withState { $0.counters.concurrentChanges } == 1)

            // BMC 1: a PATCH performed and never answered is still in flight when the client, timed out, resets.
            let other = LabHTTP(port: port, index: 1)
            #expect(await other.patchBIOS(["Bootmodeselect": .string("UEFI")], timeout: .milliseconds(300)).failed)
            #expect(await other.reset().status == 204)
            #expect(await other.send("GET", "/redfish/v1/Systems/1").status == 200)  // a GET is no change
        }
        #expect(lab.nodes[1].withState { $0.counters.concurrentChanges } == 1)
        // Once the POST of that reset is over, the PATCH's value is in force.
        #expect(
            lab.nodes[1].withState { bmc in
                _ = bmc.powerState(at: 1e9)
                return bmc.attribute("Bootmodeselect")
            } == .string("UEFI"))
    }
}

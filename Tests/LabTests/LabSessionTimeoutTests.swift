import Foundation
import Redfish
import Testing

@testable import Lab

/// Sessions a client stops using expire after `SessionService.SessionTimeout` seconds of lab time, as on a real
/// BMC: over real HTTP, on a manual clock.
@Suite("Lab session timeout")
struct LabSessionTimeoutTests {
    static let server = SimulatedBMCTests.server

    @Test("a session unused past SessionTimeout is gone: its token is refused, it is not listed, its slot is free")
    func expires() async throws {
        let clock = ManualLabClock()
        var settings = SimulatedBMC.Settings()
        settings.sessionLimit = 2
        settings.sessionTimeout = 600
        let lab = Lab(servers: [Self.server], settings: settings, clock: clock)
        try await lab.withServer { port in
            let bmc = LabHTTP(port: port)
            let service = await bmc.send("GET", "/redfish/v1/SessionService")
            #expect(service.body?["SessionTimeout"].double == 600)
            let idle = try await bmc.login().get()
            let busy = try await bmc.login().get()
            guard case .failure(let full) = await bmc.login() else {
                Issue.record("a third login was accepted with a limit of 2 sessions")
                return
            }
            #expect(full.status == 400, "\(full.detail)")
            // One session is used at 500 s, the other never again.
            clock.advance(by: 500)
            #expect(await bmc.send("GET", "/redfish/v1/Systems/1", token: busy.token).status == 200)
            clock.advance(by: 200)
            let expired = await bmc.send("GET", "/redfish/v1/Systems/1", token: idle.token)
            let unknown = await bmc.send("GET", "/redfish/v1/Systems/1", token: "lab-no-such-session")
            #expect(expired.status == 401)
            #expect(expired.body == unknown.body)
            #expect(await bmc.send("GET", "/redfish/v1/Systems/1", token: busy.token).status == 200)
            let sessions = await bmc.send("GET", "/redfish/v1/SessionService/Sessions")
            #expect(sessions.body?["Members"].array.compactMap { $0["@odata.id"].string } == [busy.session])
            // The expired session's slot is free; the expired session itself cannot be deleted: it is gone.
            let fresh = try await bmc.login().get()
            #expect(await bmc.send("GET", "/redfish/v1/Systems/1", token: fresh.token).status == 200)
            #expect(await bmc.send("DELETE", idle.session).status == 404)
        }
        let counters = lab.nodes[0].withState { $0.counters }
        #expect(counters.sessionsExpired == 1)
        #expect(counters.sessionsDeleted == 0)
        #expect(counters.sessionsCreated == 3)
    }

    @Test("every request with the token keeps a session alive; it expires SessionTimeout after its last use")
    func useRefreshes() async throws {
        let clock = ManualLabClock()
        let lab = Lab(servers: [Self.server], clock: clock)
        try await lab.withServer { port in
            let bmc = LabHTTP(port: port)
            #expect(await bmc.send("GET", "/redfish/v1/SessionService").body?["SessionTimeout"].double == 1800)
            let session = try await bmc.login().get()
            for _ in 0..<3 {
                clock.advance(by: 1500)
                #expect(await bmc.send("GET", "/redfish/v1/Managers/1", token: session.token).status == 200)
            }
            clock.advance(by: 1800)
            #expect(await bmc.send("GET", "/redfish/v1/Managers/1", token: session.token).status == 401)
        }
        #expect(lab.nodes[0].withState { $0.liveSessions } == 0)
    }

    @Test("session_timeout reads from the lab configuration (1800 s when absent); zero or negative names the key")
    func configuration() throws {
        #expect(try LabFaultModeTests.load("session_timeout: 900\n").bmcSettings.sessionTimeout == 900)
        #expect(try LabFaultModeTests.load("nodes: 2\n").bmcSettings.sessionTimeout == 1800)
        #expect(try LabFaultModeTests.load("dell_busy_after_change: true\n").bmcSettings.dellBusyAfterChange)
        #expect(try !LabFaultModeTests.load("nodes: 2\n").bmcSettings.dellBusyAfterChange)
        for bad in ["0", "-5"] {
            let message = LabFaultModeTests.failure { _ = try LabFaultModeTests.load("session_timeout: \(bad)\n") }
            #expect(
                message.contains("session_timeout: \(Double(bad)!) is not a positive number of seconds"), "\(message)")
        }
    }
}

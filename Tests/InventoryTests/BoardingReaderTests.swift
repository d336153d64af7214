import Catalog
import Foundation
import Lab
import Logging
import Redfish
import Testing

@testable import Inventory

/// Boarding validation's reader against DMTF's public-rackmount1 mockup (a tree we did not write: Sensors, SecureBoot,
/// a SEL log with a `$skiptoken` next link that repeats its page, SimpleStorage) and against the lab's five vendor
/// profiles (iLO 5's Thermal/Power and IML, iDRAC's SEL on the manager, paging past 50 entries), including what the
/// lab's hooks break behind the tools' backs.
@Suite("Boarding reader")
struct BoardingReaderTests {
    static let mockup = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/redfish-mockups/public-rackmount1").standardizedFileURL
    let logger = Logger(label: "boarding-reader")

    @Test("DMTF public-rackmount1: Secure Boot, every sensor with its thresholds, the SEL's entries once, drives")
    func mockupTree() async throws {
        let facts = await BoardingReader(source: RedfishMockupSource(root: Self.mockup)).read()
        #expect(facts.secureBoot?.enabled == false && facts.secureBoot?.currentBoot == "Disabled")
        #expect(facts.secureBoot?.mode == "UserMode")
        // Every sensor the collection lists (the saved tree also holds `CPU1Power`, which its collection does not list).
        let listing = try JSONSerialization.jsonObject(
            with: Data(contentsOf: Self.mockup.appendingPathComponent("Chassis/1U/Sensors/index.json")))
        let listed = try #require((listing as? [String: Any])?["Members"] as? [Any]).count
        #expect(facts.sensorsOffered && facts.sensors.count == listed && listed == 41)
        let cpu = try #require(facts.sensors.first { $0.path.hasSuffix("/Sensors/CPU1Temp") })
        #expect(cpu.reading == 37 && cpu.units == "Cel" && cpu.kind == "Temperature")
        #expect(cpu.upperCaution == 42 && cpu.upperCritical == 45 && cpu.health == "OK")
        // The SEL's next link (`$skiptoken`) serves the same page again in a saved tree: each entry is taken once.
        let sel = facts.logEntries.filter { $0.log == "Log1" }
        #expect(sel.map(\.id) == ["1", "2"], "\(facts.logEntries)")
        #expect(sel.allSatisfy { $0.severity == "Critical" && $0.message == "Temperature threshold exceeded" })
        #expect(sel.first?.created == BoardingReader.date("2012-03-07T14:44:00Z"))
        // Entries before `since` are left out.
        let later = await BoardingReader(source: RedfishMockupSource(root: Self.mockup))
            .read(since: try #require(BoardingReader.date("2012-03-07T14:44:30Z")))
        #expect(later.logEntries.filter { $0.log == "Log1" }.map(\.id) == ["2"])
        #expect(!facts.links.isEmpty && facts.links.allSatisfy { $0.mac != nil })
        #expect(!facts.drives.isEmpty, "SimpleStorage devices")
    }

    static let profiles: [SimulatedBMC.Profile] = [.generic, .hpe, .supermicro, .dell, .lenovo]

    static func lab(_ profile: SimulatedBMC.Profile) throws -> (Lab, ServerModel) {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let name = profile == .hpe ? "a1.c5.large" : "s2.c2.small"
        let server = ServerModel(deviceType: try #require(catalog.deviceType(named: name)), index: 1)
        var settings = SimulatedBMC.Settings()
        settings.profile = profile
        settings.postSeconds = 0
        return (Lab(servers: [server], settings: settings, clock: ManualLabClock()), server)
    }

    func client(_ port: Int) throws -> RedfishClient {
        try RedfishClient(
            endpoint: RedfishEndpoint(
                baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password",
                timeout: .seconds(10)),
            logger: logger)
    }

    @Test(
        "each lab profile: sensors, links, drives, logs and Secure Boot read in the vendor's shape", arguments: profiles
    )
    func labProfile(_ profile: SimulatedBMC.Profile) async throws {
        let (lab, server) = try Self.lab(profile)
        try await lab.withServer { port in
            let client = try client(port)
            let facts = await BoardingReader(source: client).read()
            #expect(facts.unread.isEmpty, "\(facts.unread)")
            #expect(facts.secureBoot != nil)
            #expect(facts.sensors.count == server.sockets + 4)
            let cpu = try #require(facts.sensors.first { $0.name == "CPU1 Temp" })
            #expect(cpu.reading == 45 && cpu.upperCritical == 100 && cpu.health == "OK")
            // iLO 5 serves only the older Thermal and Power resources.
            #expect(cpu.path.contains("/Thermal#/") == (profile == .hpe), "\(cpu.path)")
            #expect(facts.links.count == server.ports.count && facts.links.allSatisfy { $0.linkUp == true })
            #expect(facts.drives.count == server.drives.count && facts.drives.allSatisfy { $0.health == "OK" })
            let logs = Set(facts.logEntries.map(\.log))
            #expect(logs == Set(lab.nodes[0].withState { $0.logIDs }), "\(facts.logEntries)")

            // Behind the tools' backs.
            let broken = lab.nodes[0].withState { bmc in
                bmc.setSensorReading("Fan2", to: 300) && bmc.setLink(server.ports[0].name, up: false)
                    && bmc.setDriveHealth(server.drives[0].name, to: "Critical")
            }
            #expect(broken)
            // Ten lab seconds after the seeded entries (lab time 0), read since lab time 5.
            try #require(lab.clock as? ManualLabClock).advance(by: 10)
            #expect(lab.addLogEntry(bmc: 0, severity: "Critical", message: "CPU 1 machine check") != nil)
            let epoch = lab.nodes[0].withState { $0.settings.epoch }
            let after = await BoardingReader(source: client).read(since: epoch.addingTimeInterval(5))
            let fan = try #require(after.sensors.first { $0.name == "Fan 2" })
            #expect(fan.reading == 300 && fan.health == "Critical")
            #expect(after.links.filter { $0.linkUp == false }.count == 1)
            #expect(after.drives.filter { $0.health == "Critical" }.count == 1)
            let critical = after.logEntries.filter { $0.severity == "Critical" }
            #expect(critical.map(\.message) == ["CPU 1 machine check"], "\(after.logEntries)")
            let main = lab.nodes[0].withState { $0.logIDs[0] }
            #expect(critical.first?.log == main)
            // Dated by the BMC's clock, which reads the wall clock.
            let created = try #require(critical.first?.created)
            #expect(abs(created.timeIntervalSince(Date())) < 120, "\(created)")
            await client.close()
        }
    }

    @Test("a long log is paged 50 at a time: every entry is read, newest first, and `since` stops the walk")
    func pagedLog() async throws {
        let (lab, _) = try Self.lab(.dell)
        let clock = try #require(lab.clock as? ManualLabClock)
        for index in 1...120 {
            clock.advance(by: 60)
            lab.addLogEntry(bmc: 0, severity: index == 30 ? "Warning" : "OK", message: "event \(index)")
        }
        try await lab.withServer { port in
            let client = try client(port)
            let facts = await BoardingReader(source: client).read()
            let sel = facts.logEntries.filter { $0.log == "Sel" }
            #expect(sel.count == 121, "the seeded entry and 120 more")
            #expect(sel.first?.message == "event 120" && sel.last?.message == "Server power restored.")
            #expect(facts.unread.isEmpty, "\(facts.unread)")
            // Since the 100th entry: the newest 21, and the walk stops once older entries follow.
            let epoch = lab.nodes[0].withState { $0.settings.epoch }
            let since = epoch.addingTimeInterval(100 * 60)
            let requestsBefore = lab.nodes[0].withState { $0.counters.requests }
            let recent = await BoardingReader(source: client).read(since: since)
            let requests = lab.nodes[0].withState { $0.counters.requests } - requestsBefore
            #expect(
                recent.logEntries.filter { $0.log == "Sel" }.map(\.message)
                    == (100...120).reversed().map {
                        "event \($0)"
                    })
            #expect(requests < 40, "the older pages are never read: \(requests) requests")
            await client.close()
        }
    }

    @Test("iLO takes SecureBootEnable and applies it when POST ends; iDRAC refuses it (BIOS attribute)")
    func secureBootWrites() async throws {
        let (hpe, _) = try Self.lab(.hpe)
        try await hpe.withServer { port in
            let client = try client(port)
            let path = "/bmc/0/redfish/v1/Systems/1/SecureBoot"
            _ = try await client.patch(path, .object(["SecureBootEnable": .bool(true)]))
            let pending = try await client.fetch(path).body
            #expect(pending["SecureBootEnable"].bool == true && pending["SecureBootCurrentBoot"].string == "Disabled")
            try await client.reset(system: "/bmc/0/redfish/v1/Systems/1", type: "ForceRestart")
            let applied = await BoardingReader(source: client).read()
            #expect(applied.secureBoot?.enabled == true && applied.secureBoot?.currentBoot == "Enabled")
            #expect(hpe.nodes[0].withState { $0.attribute("SecureBootStatus") } == .string("Enabled"))
            await client.close()
        }
        let (dell, _) = try Self.lab(.dell)
        try await dell.withServer { port in
            let client = try client(port)
            await #expect(throws: RedfishError.self) {
                _ = try await client.patch(
                    "/bmc/0/redfish/v1/Systems/1/SecureBoot", .object(["SecureBootEnable": .bool(true)]))
            }
            #expect(dell.nodes[0].withState { $0.counters.patches } == 0)
            await client.close()
        }
    }
}

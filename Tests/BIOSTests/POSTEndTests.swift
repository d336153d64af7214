import Catalog
import Foundation
import Inventory
import Lab
import Logging
import Redfish
import Synchronization
import Testing

@testable import BIOS

/// Lab time that moves only when the lab looks at it: each request (one `now()`) advances it by `step`. POST then
/// lasts a fixed number of requests whatever the machine's speed: no sleeps, no races.
final class SteppingLabClock: LabClock {
    private let seconds = Mutex<Double>(0)
    let step: Double

    init(step: Double) { self.step = step }

    func now() -> Double {
        seconds.withLock { value in
            value += step
            return value
        }
    }
}

/// Item 4 of issue #18: after the reset, the apply waits for the end of POST the way each BMC says it, and verify
/// never reads the BIOS mid-POST (when the lab still shows the old values).
@Suite("End of POST, per vendor profile")
struct POSTEndTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog

    static func lab(_ profile: SimulatedBMC.Profile, clock: any LabClock) throws -> Lab {
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        var settings = SimulatedBMC.Settings()
        settings.profile = profile
        settings.postSeconds = 2
        return Lab(servers: [ServerModel(deviceType: type, index: 1)], settings: settings, clock: clock)
    }

    static func client(_ port: Int) throws -> RedfishClient {
        try RedfishClient(
            endpoint: RedfishEndpoint(
                baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password"),
            logger: Logger(label: "post"))
    }

    @Test(
        "the apply waits for the profile's end-of-POST signal; verify never reads mid-POST",
        arguments: [
            (SimulatedBMC.Profile.hpe, "Oem.Hpe.PostState", "Oem.Hpe.PostState InPost"),
            (.supermicro, "BootProgress", "BootProgress MemoryInitializationStarted"),
            (.dell, "job", "job Running"),
            // The generic profile says PoweringOn through POST, then BootProgress tells the rest.
            (.generic, "BootProgress", "PowerState PoweringOn"),
        ])
    func postEnd(_ profile: SimulatedBMC.Profile, signal: String, midPOST: String) async throws {
        let type = try #require(Self.catalog.deviceType(named: "s2.c2.small"))
        // A quarter second per request: POST (2 s) spans several polls.
        let lab = try Self.lab(profile, clock: SteppingLabClock(step: 0.25))
        try await lab.withServer { port in
            let client = try Self.client(port)
            let bios = RedfishBIOS(client: client, logger: Logger(label: "post"))
            let plan = try await bios.plan(
                try DesiredBIOSState(type: type, catalog: Self.catalog), type: type, catalog: Self.catalog)
            try #require(!plan.redfishChanges.isEmpty)
            let seen = Mutex<[String]>([])
            let report = try await bios.apply(
                plan,
                backupTo: FileBackupSink(directory: FileManager.default.temporaryDirectory),
                firstPoll: .zero, poll: .zero, progress: { step in seen.withLock { $0.append(step.text) } })
            #expect(report.reset)
            let post = try #require(report.post)
            #expect(post.signal == signal)
            #expect(post.finished)
            #expect(post.polls > 2, "POST spanned several polls (\(post.polls))")
            #expect(seen.withLock { $0 }.contains(midPOST), "\(seen.withLock { $0 })")
            #expect(lab.nodes[0].withState { $0.counters.biosReadsDuringPOST } == 0, "verify read the BIOS mid-POST")
            #expect(report.verified.values.allSatisfy { $0 }, "\(report.verified)")
            for (attribute, value) in plan.redfishChanges {
                #expect(lab.nodes[0].withState { $0.attribute(attribute) } == value, "\(attribute)")
            }
            await client.close()
        }
    }

    @Test(
        "the lab during POST: PowerState On (vendor profiles), the Bios resource still old, the settings still pending",
        arguments: [SimulatedBMC.Profile.hpe, .supermicro, .dell, .generic])
    func midPOST(_ profile: SimulatedBMC.Profile) async throws {
        let clock = ManualLabClock()
        let lab = try Self.lab(profile, clock: clock)
        try await lab.withServer { port in
            let client = try Self.client(port)
            let system = try #require(try await client.members(of: "Systems").first)
            let bios = try #require(try await client.get(system)["Bios"]["@odata.id"].string)
            let settings = try #require(
                try await client.get(bios)["@Redfish.Settings"]["SettingsObject"]["@odata.id"].string)
            let before = try await client.fetch(system).body
            // The boot mode in each vendor's registry (LabBIOS+HPE/+Dell/+Supermicro): its current and another value.
            let (name, old, new) =
                switch profile {
                case .hpe: ("BootMode", "Uefi", "LegacyBios")
                case .dell: ("BootMode", "Uefi", "Bios")
                case .supermicro: ("Bootmodeselect", "Legacy", "UEFI")
                default: ("BootMode", "Legacy", "UEFI")
                }
            #expect(try await client.get(bios)["Attributes"][name].string == old)
            _ = try await client.patch(settings, .object(["Attributes": .object([name: .string(new)])]))
            try await client.reset(system: system, type: "ForceRestart")
            clock.advance(by: 1)
            let during = try await client.get(system)
            #expect(during["PowerState"].string == (profile == .generic ? "PoweringOn" : "On"))
            let progress = RedfishClient.postProgress(during, before: before, sawPOST: false, polls: 1)
            #expect(!progress.finished, "\(progress)")
            #expect(try await client.get(bios)["Attributes"][name].string == old)
            #expect(try await client.get(settings)["Attributes"][name].string == new)
            #expect(lab.nodes[0].withState { $0.counters.biosReadsDuringPOST } == 1)
            clock.advance(by: 1)
            let after = try await client.get(system)
            #expect(RedfishClient.postProgress(after, before: before, sawPOST: true, polls: 2).finished)
            // What a wait keeps of the system before the reset judges every poll as the whole document does.
            let markers = RedfishClient.postMarkers(before)
            #expect(markers["Actions"].isNull && markers["Id"].isNull && markers["PowerState"] == before["PowerState"])
            for (poll, saw) in [(during, false), (after, false), (after, true)] {
                #expect(
                    RedfishClient.postProgress(poll, before: markers, sawPOST: saw, polls: 1)
                        == RedfishClient.postProgress(poll, before: before, sawPOST: saw, polls: 1))
            }
            #expect(try await client.get(bios)["Attributes"][name].string == new)
            #expect(try await client.get(settings)["Attributes"].object?.isEmpty == true)
            await client.close()
        }
    }
}

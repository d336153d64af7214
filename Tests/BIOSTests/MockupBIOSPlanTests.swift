import Catalog
import Foundation
import Logging
import Redfish
import TestSupport
import Testing

@testable import BIOS

/// The BIOS plan against DMTF's public-rackmount1 mockup served by sushy-tools' `sushy-static` (`Peer.mockup`):
/// a real vendor-style Bios resource with a settings object, and an `AttributeRegistry` the service does not serve.
/// The desired state is built from the mockup's own files at test time.
@Suite("BIOS plan against DMTF's mockup served by sushy-static")
struct MockupBIOSPlanTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog
    static let folder = Peer.shared.appendingPathComponent("redfish-mockups/public-rackmount1")

    /// The mockup's document for a Redfish path (`/redfish/v1/Systems` → `Systems/index.json`).
    static func document(_ path: String) throws -> JSONValue {
        let relative = path.hasPrefix("/redfish/v1/") ? String(path.dropFirst("/redfish/v1/".count)) : path
        let file = folder.appendingPathComponent(relative).appendingPathComponent("index.json")
        return try JSONValue.parse(try Data(contentsOf: file))
    }

    @Test(
        "built from the mockup's current and pending attributes: a different value is a change, an absent one is not",
        .enabled(if: Peer.mockup.enabled))
    func plan() async throws {
        let systems = try Self.document("/redfish/v1/Systems")
        let system = try Self.document(try #require(systems["Members"].array.first?["@odata.id"].string))
        let biosDocument = try Self.document(try #require(system["Bios"]["@odata.id"].string))
        let current = try #require(biosDocument["Attributes"].object)
        let settingsPath = try #require(biosDocument["@Redfish.Settings"]["SettingsObject"]["@odata.id"].string)
        let pending = try #require(try Self.document(settingsPath)["Attributes"].object)
        // The registry the Bios resource names is not among the service's registries.
        let registryName = try #require(biosDocument["AttributeRegistry"].string)
        let registries = try Self.document("/redfish/v1/Registries")["Members"].array.compactMap {
            $0["@odata.id"].string
        }
        #expect(!registries.contains { $0.hasSuffix("/" + registryName) })

        // Text attributes whose settings object stages nothing else: one kept as it is, one asked to differ.
        let settled = current.keys.sorted().filter { name in
            guard case .string(let value)? = current[name], !value.isEmpty else { return false }
            return pending[name] == nil || BIOSPlanner.same(pending[name]!, current[name]!)
        }
        #expect(settled.count >= 2)
        let kept = settled[0]
        let changed = settled[1]
        let newValue = current[changed]!.string == "Disabled" ? "Enabled" : "Disabled"
        // One whose settings object already stages another value, asked for that value.
        let staged = try #require(
            current.keys.sorted().first { name in
                guard case .string(let staged)? = pending[name], !staged.isEmpty, let now = current[name] else {
                    return false
                }
                return !BIOSPlanner.same(.string(staged), now)
            })
        let absent = "HWAutomationNoSuchAttribute"

        let type = try #require(Self.catalog.deviceType(named: "s2.c2.small"))
        var desired = try DesiredBIOSState(type: type, catalog: Self.catalog)
        desired.preserved = [:]
        desired.contributions = []
        desired.settings = [
            kept: .init(value: current[kept]!.string!, source: "test"),
            changed: .init(value: newValue, source: "test"),
            staged: .init(value: pending[staged]!.string!, source: "test"),
            absent: .init(value: "Enabled", source: "test"),
        ]

        let endpoint = RedfishEndpoint(baseURL: try #require(URL(string: try Peer.value("HWA_TEST_MOCKUP_URL"))))
        let logger = Logger(label: "mockup-bios-tests")
        let client = try RedfishClient(endpoint: endpoint, logger: logger)
        let bios = RedfishBIOS(client: client, logger: logger, registries: RegistryCache())
        let plan: BIOSPlan
        do {
            plan = try await bios.plan(desired, type: type, catalog: Self.catalog)
            await client.shutdown()
        } catch {
            await client.shutdown()
            throw error
        }
        func item(_ name: String) throws -> BIOSPlan.Item { try #require(plan.items.first { $0.setting == name }) }

        #expect(plan.items.count == 4)
        #expect(try item(kept).status == .alreadySet)
        #expect(try item(kept).current == current[kept])
        #expect(try item(changed).status == .change)
        #expect(try item(changed).current == current[changed])
        #expect(try item(changed).route == .redfish)
        #expect(try item(staged).status == .pending)
        #expect(try item(staged).current == current[staged])
        // The attribute the mockup lacks: reported with a reason naming it, never a change or a success.
        #expect(![.change, .alreadySet, .pending].contains(try item(absent).status))
        #expect(try item(absent).attribute == nil)
        #expect(try item(absent).reason?.contains(absent) == true)
        // Only the different value is sent; the absent attribute is neither a change nor a success.
        #expect(plan.redfishChanges == [changed: .string(newValue)])
        #expect(plan.items.filter { $0.status == .change }.count == 1)
    }
}

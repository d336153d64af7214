import Catalog
import Foundation
import Inventory
import Lab
import Redfish
import Testing

@testable import BIOS

@Suite("The lab's vendor registries")
struct LabRegistryTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog

    /// What a BMC of `server` serves: its registry (parsed as a client parses it), its current attributes, and the
    /// registry's name.
    static func served(_ server: ServerModel) throws -> (
        registry: [String: RegistryAttribute], current: [String: JSONValue], name: String
    ) {
        var bmc = SimulatedBMC(server: server)
        func get(_ path: String) -> JSONValue {
            let auth = "Basic " + Data("admin:password".utf8).base64EncodedString()
            return bmc.handle(LabRequest(method: "GET", path: path, headers: ["authorization": auth]), now: 0).body
                ?? .null
        }
        let bios = get("/redfish/v1/Systems/1/Bios")
        let name = try #require(bios["AttributeRegistry"].string)
        let file = get("/redfish/v1/Registries/\(name)")
        let uri = try #require(file["Location"].array.first?["Uri"].string)
        return (RegistryAttribute.parse(get(uri)), bios["Attributes"].object ?? [:], name)
    }

    @Test(
        "every device type's desired settings resolve on the lab BMC of its vendor, by the vendor's own names",
        arguments: ["hpe", "supermicro", "dell"])
    func everySettingResolves(vendor: String) throws {
        var unresolved: [String] = []
        for type in Self.catalog.sortedDeviceTypes(vendor: vendor) {
            let served = try Self.served(ServerModel(deviceType: type, index: 1))
            let desired = try DesiredBIOSState(type: type, catalog: Self.catalog)
            let plan = BIOSPlanner.plan(
                desired: desired, type: type, catalog: Self.catalog, bmc: "lab", current: served.current,
                pending: [:], registry: served.registry)
            for item in plan.items {
                if case .unresolved = item.fate { unresolved.append("\(type.name): \(item.setting)") }
            }
        }
        #expect(unresolved.isEmpty, "\(unresolved)")
    }

    @Test("translation: iLO and iDRAC names, Supermicro display names, values by their display names")
    func vendorNames() throws {
        func plan(_ typeName: String) throws -> BIOSPlan {
            let type = try #require(Self.catalog.deviceType(named: typeName))
            let served = try Self.served(ServerModel(deviceType: type, index: 1))
            return BIOSPlanner.plan(
                desired: try DesiredBIOSState(type: type, catalog: Self.catalog), type: type, catalog: Self.catalog,
                bmc: "lab", current: served.current, pending: [:], registry: served.registry)
        }
        func attribute(_ plan: BIOSPlan, _ setting: String) -> String? {
            plan.items.first { $0.setting == setting }?.attribute
        }
        let hpe = try plan("a1.c5.large")
        #expect(attribute(hpe, "IntelHyperThreadingTech") == "ProcHyperthreading")
        #expect(attribute(hpe, "PackageCState") == "MinProcIdlePkgState")
        #expect(hpe.redfishChanges["MinProcIdlePkgState"] == .string("NoState"))
        #expect(hpe.redfishChanges["BootMode"] == .string("LegacyBios"))
        // Secure boot status is read-only on iLO; it already reads Disabled, so nothing is asked of it.
        #expect(hpe.items.first { $0.setting == "SecureBoot" }?.fate == .alreadySet)
        let dell = try plan("p1.c1.large")
        #expect(attribute(dell, "IntelHyperThreadingTech") == "LogicalProc")
        #expect(dell.redfishChanges["SysProfile"] == .string("PerfOptimized"))
        #expect(dell.redfishChanges["AcPwrRcvry"] == .string("On"))
        let supermicro = try plan("s2.c2.large")
        #expect(attribute(supermicro, "IntelHyperThreadingTech") == "IntelHyperThreadingTechnology")
        // `power_on` from a BiosConfig template and `PowerOn` from the rules: the menu's "Power On".
        #expect(supermicro.redfishChanges["RestoreonACPowerLoss"] == .string("Power On"))
        #expect(supermicro.redfishChanges["CPUPowerManagement"] == .string("OS Control"))
    }

    @Test("a newer BIOS serves another registry: another name, an attribute added (HPE, Dell) or renamed (Supermicro)")
    func registriesDifferByVersion() throws {
        func registries(_ vendor: String, _ versions: [String]) throws -> [(String, [String: RegistryAttribute])] {
            let type = try #require(Self.catalog.sortedDeviceTypes(vendor: vendor).first)
            return try versions.map { version in
                var server = ServerModel(deviceType: type, index: 1)
                server.biosVersion = version
                let served = try Self.served(server)
                return (served.name, served.registry)
            }
        }
        let hpe = try registries("hpe", ["U30 v2.54 (01/2025)", "U30 v2.62 (06/2025)"])
        #expect(hpe[0].0 == "BiosAttributeRegistryU30.v1_2_54" && hpe[1].0 == "BiosAttributeRegistryU30.v1_2_62")
        #expect(hpe[0].1["EnhancedProcPerf"] == nil && hpe[1].1["EnhancedProcPerf"] != nil)
        let dell = try registries("dell", ["1.13.2", "2.6.3"])
        #expect(dell[0].0 == "BiosAttributeRegistry.v1_13_2" && dell[1].0 == "BiosAttributeRegistry.v2_6_3")
        #expect(dell[0].1["WorkloadProfile"] == nil && dell[1].1["WorkloadProfile"] != nil)
        let supermicro = try registries("supermicro", ["1.4", "2.1"])
        #expect(supermicro[0].0 != supermicro[1].0)
        #expect(supermicro[0].1["CPUPStateControl"]?.displayName == "CPU P State Control")
        #expect(supermicro[1].1["CPUPStateControl"] == nil)
        #expect(supermicro[1].1["SpeedStepPStates"]?.displayName == "SpeedStep (P-States)")
        // Both resolve the templates' "CPU P State Control" (by the dialect's name, then by display name).
        let type = try #require(
            Self.catalog.sortedDeviceTypes(vendor: "supermicro").first { type in
                (try? DesiredBIOSState(type: type, catalog: Self.catalog))?.settings["ProcessorEIST"] != nil
            })
        let desired = try DesiredBIOSState(type: type, catalog: Self.catalog)
        #expect(desired.settings["ProcessorEIST"]?.template?.name == "CPU P State Control")
        let attributes = supermicro.map { _, registry in
            BIOSPlanner.plan(
                desired: desired, type: type, catalog: Self.catalog, bmc: "lab", current: [:], pending: [:],
                registry: registry
            ).items.first { $0.setting == "ProcessorEIST" }?.attribute
        }
        #expect(attributes == ["CPUPStateControl", "SpeedStepPStates"])
    }

    @Test("read-only attributes and dependencies are in the registry as AttributeRegistry v1 shapes")
    func readOnlyAndDependencies() throws {
        let type = try #require(Self.catalog.deviceType(named: "p1.c1.large"))
        let served = try Self.served(ServerModel(deviceType: type, index: 1))
        #expect(served.registry["SysMemSize"]?.readOnly == true)
        #expect(served.registry["LogicalProc"]?.displayName == "Logical Processor")
        #expect(
            served.registry["SysProfile"]?.values.first { $0.name == "PerfOptimized" }?.displayName == "Performance")
        let turbo = try #require(served.registry["ProcTurboMode"]?.readOnlyWhen.first?.first)
        #expect(turbo.attribute == "SysProfile" && turbo.comparison == "NEQ" && turbo.value == .string("Custom"))
    }
}

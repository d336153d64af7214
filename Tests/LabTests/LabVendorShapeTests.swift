import Catalog
import Foundation
import Inventory
import Logging
import Redfish
import Testing

@testable import Lab

/// Each vendor profile serves the shapes that vendor's BMC really reports (issue #21), read over HTTP the way
/// discovery reads them; the server's truth (`ServerModel`) is the same whatever the profile.
@Suite("Lab vendor shapes")
struct LabVendorShapeTests {
    static let catalog = LabProfileTests.catalog

    /// A server of catalog type `type`, its maker written as `manufacturer` when given (the catalog has no Lenovo
    /// type: its servers are catalog hardware with that maker).
    static func server(_ type: String, manufacturer: String? = nil) -> ServerModel {
        var server = ServerModel(deviceType: catalog.deviceType(named: type)!, index: 5)
        if let manufacturer { server.manufacturer = manufacturer }
        return server
    }

    /// Serves `server` alone in a lab and hands its BMC to `body`.
    static func withBMC(_ server: ServerModel, _ body: @escaping @Sendable (LabHTTP) async throws -> Void)
        async throws
    {
        let lab = Lab(servers: [server], clock: ManualLabClock())
        try await lab.withServer { port in try await body(LabHTTP(port: port)) }
    }

    @Test("HPE iLO 5: drives only under SmartStorage (CapacityMiB, InterfaceType), ports under BaseNetworkAdapters")
    func hpe() async throws {
        let server = Self.server("a1.c5.large")
        #expect(SimulatedBMC(server: server).profile == .hpe)
        try await Self.withBMC(server) { bmc in
            let system = try #require(await bmc.send("GET", "/redfish/v1/Systems/1").body)
            #expect(system["Manufacturer"].string == "HPE")
            #expect(await bmc.members(system["Storage"]["@odata.id"].string).isEmpty, "nothing under Storage")
            #expect(await bmc.send("GET", "/redfish/v1/Systems/1/Storage/1/Drives/0").status == 404)
            #expect(await bmc.members(system["EthernetInterfaces"]["@odata.id"].string).isEmpty)

            let smart = try #require(await bmc.follow(system["Oem"]["Hpe"]["Links"]["SmartStorage"]))
            let controllers = await bmc.members(smart["Links"]["ArrayControllers"]["@odata.id"].string)
            #expect(controllers.count == 1)
            let drives = await bmc.members(controllers.first?["Links"]["PhysicalDrives"]["@odata.id"].string)
            #expect(drives.count == server.drives.count)
            for (drive, truth) in zip(drives, server.drives) {
                #expect(drive["CapacityMiB"].int == Int(truth.sizeBytes / 1_048_576))
                #expect(drive["CapacityGB"].int == Int(truth.sizeBytes / 1_000_000_000))
                #expect(drive["MediaType"].string == "SSD")
                #expect(drive["InterfaceType"].string == "NVMe")
                #expect(drive["SerialNumber"].string == truth.serial)
                #expect(drive["CapacityBytes"] == .null, "iLO's SmartStorage drives state no CapacityBytes")
            }

            let adapters = await bmc.members(system["Oem"]["Hpe"]["Links"]["NetworkAdapters"]["@odata.id"].string)
            let ports = adapters.flatMap { $0["PhysicalPorts"].array }
            #expect(ports.compactMap { $0["MacAddress"].string } == server.ports.map(\.mac))
            #expect(ports.compactMap { $0["SpeedMbps"].int } == server.ports.map(\.speedMbps))
            #expect(ports.allSatisfy { $0["LinkStatus"].string == "LinkUp" })
        }
    }

    @Test("Dell iDRAC: 10 GbE as 10240 Mbps, a 32 GB DIMM as 31250 MiB, every port under NetworkPorts and functions")
    func dell() async throws {
        // Two 10 GbE ports, 256 GiB in eight 32 GiB DIMMs.
        let server = Self.server("flex-6258R.c.large", manufacturer: "Dell Inc.")
        #expect(SimulatedBMC(server: server).profile == .dell)
        #expect(server.dimmGiB == 32 && server.ports.map(\.speedMbps) == [10_000, 10_000])
        try await Self.withBMC(server) { bmc in
            let system = try #require(await bmc.send("GET", "/redfish/v1/Systems/1").body)
            let dimms = await bmc.members(system["Memory"]["@odata.id"].string)
            #expect(dimms.count == server.dimmCount)
            #expect(dimms.allSatisfy { $0["CapacityMiB"].int == 31250 })

            let interfaces = await bmc.members(system["EthernetInterfaces"]["@odata.id"].string)
            #expect(interfaces.compactMap { $0["Id"].string } == ["NIC.Integrated.1-1-1", "NIC.Integrated.1-2-1"])
            #expect(interfaces.allSatisfy { $0["SpeedMbps"].int == 10240 })
            #expect(interfaces.compactMap { $0["MACAddress"].string } == server.ports.map { $0.mac.uppercased() })

            let chassis = try #require(await bmc.send("GET", "/redfish/v1/Chassis/1").body)
            let adapters = await bmc.members(chassis["NetworkAdapters"]["@odata.id"].string)
            #expect(adapters.compactMap { $0["Id"].string } == ["NIC.Integrated.1"])
            let adapter = try #require(adapters.first)
            let ports = await bmc.members(adapter["NetworkPorts"]["@odata.id"].string)
            #expect(ports.compactMap { $0["Id"].string } == ["NIC.Integrated.1-1", "NIC.Integrated.1-2"])
            #expect(ports.allSatisfy { $0["CurrentLinkSpeedMbps"].int == 10240 && $0["LinkStatus"].string == "Up" })
            #expect(
                ports.compactMap { $0["AssociatedNetworkAddresses"].array.first?.string }
                    == server.ports.map { $0.mac.uppercased() })
            let functions = await bmc.members(adapter["NetworkDeviceFunctions"]["@odata.id"].string)
            #expect(functions.compactMap { $0["Id"].string } == ["NIC.Integrated.1-1-1", "NIC.Integrated.1-2-1"])
            for (function, truth) in zip(functions, server.ports) {
                #expect(function["Ethernet"]["MACAddress"].string == truth.mac.uppercased())
                let port = await bmc.follow(function["Links"]["PhysicalPortAssignment"])
                #expect(port?["AssociatedNetworkAddresses"].array.first?.string == truth.mac.uppercased())
            }
        }
    }

    @Test("Dell iDRAC: a PowerEdge R650's four ports on two dual-port adapters, 25 and 100 GbE as written")
    func dellFourPorts() async throws {
        let server = Self.server("p1.c1.large")
        #expect(server.ports.count == 4)
        try await Self.withBMC(server) { bmc in
            let adapters = await bmc.members("/redfish/v1/Chassis/1/NetworkAdapters")
            #expect(adapters.compactMap { $0["Id"].string } == ["NIC.Integrated.1", "NIC.Slot.1"])
            var speeds: [Int] = []
            var macs: [String] = []
            for adapter in adapters {
                let ports = await bmc.members(adapter["NetworkPorts"]["@odata.id"].string)
                #expect(ports.count == 2)
                speeds += ports.compactMap { $0["CurrentLinkSpeedMbps"].int }
                macs += ports.compactMap { $0["AssociatedNetworkAddresses"].array.first?.string }
            }
            #expect(speeds == [25000, 25000, 100_000, 100_000])
            #expect(macs == server.ports.map { $0.mac.uppercased() })
        }
    }

    @Test("Lenovo XCC: LNVO, upper-case MACs, a 100 Mb ToManager NIC, ports in the DMTF Port schema")
    func lenovo() async throws {
        let server = Self.server("s2.c2.large", manufacturer: "Lenovo")
        #expect(SimulatedBMC(server: server).profile == .lenovo)
        try await Self.withBMC(server) { bmc in
            let system = try #require(await bmc.send("GET", "/redfish/v1/Systems/1").body)
            #expect(system["Manufacturer"].string == "LNVO")
            #expect(VendorName.normalise(system["Manufacturer"].string) == "lenovo")
            let interfaces = await bmc.members(system["EthernetInterfaces"]["@odata.id"].string)
            #expect(interfaces.compactMap { $0["Id"].string } == ["NIC1", "NIC2", "ToManager"])
            // Upper case, in the schema's colon form (the Service Validator checks the MACAddress pattern); XCC's
            // colon-less form stays in the discovery fixtures (Tests/InventoryTests/Fixtures/vendor-shapes).
            #expect(
                interfaces.prefix(2).compactMap { $0["MACAddress"].string } == server.ports.map { $0.mac.uppercased() })
            let toManager = try #require(interfaces.last)
            #expect(toManager["SpeedMbps"].int == 100)
            #expect(toManager["MACAddress"].string?.hasPrefix("0A:") == true)
            #expect(toManager["IPv4Addresses"].array.first?["Address"].string == "169.254.95.120")

            let adapters = await bmc.members("/redfish/v1/Chassis/1/NetworkAdapters")
            #expect(adapters.compactMap { $0["Id"].string } == ["slot-1"])
            let ports = await bmc.members(adapters.first?["Ports"]["@odata.id"].string)
            #expect(ports.compactMap { $0["CurrentSpeedGbps"].double } == [10, 10])
            #expect(ports.allSatisfy { $0["LinkStatus"].string == "LinkUp" })
            #expect(
                ports.compactMap { $0["Ethernet"]["AssociatedMACAddresses"].array.first?.string }
                    == server.ports.map { $0.mac.uppercased() })
        }
    }

    @Test("Supermicro: NVMe drives as Protocol PCIe and MediaType SSD; AMI placeholders where the truth has no value")
    func supermicro() async throws {
        let server = Self.server("flex-6258R.c.large")
        #expect(SimulatedBMC(server: server).profile == .supermicro)
        try await Self.withBMC(server) { bmc in
            let system = try #require(await bmc.send("GET", "/redfish/v1/Systems/1").body)
            #expect(system["SerialNumber"].string == server.serial, "the truth's serial is reported as it is")
            #expect(system["SKU"].string == "Default string")
            let chassis = try #require(await bmc.send("GET", "/redfish/v1/Chassis/1").body)
            #expect(chassis["SerialNumber"].string == "0123456789")
            #expect(chassis["Model"].string == server.board)
            var drives: [JSONValue] = []
            for storage in await bmc.members(system["Storage"]["@odata.id"].string) {
                for link in storage["Drives"].array {
                    if let drive = await bmc.follow(link) { drives.append(drive) }
                }
            }
            #expect(drives.count == server.drives.count)
            #expect(drives.allSatisfy { $0["Protocol"].string == "PCIe" && $0["MediaType"].string == "SSD" })
            #expect(drives.compactMap { $0["CapacityBytes"].int } == server.drives.map { Int($0.sizeBytes) })
        }
    }

    @Test("the generic profile keeps the plain DMTF shapes")
    func generic() async throws {
        let server = Self.server("flex-6258R.c.large", manufacturer: "Acme")
        #expect(SimulatedBMC(server: server).profile == .generic)
        try await Self.withBMC(server) { bmc in
            let system = try #require(await bmc.send("GET", "/redfish/v1/Systems/1").body)
            #expect(system["Oem"] == .null && system["SKU"] == .null)
            let dimms = await bmc.members(system["Memory"]["@odata.id"].string)
            #expect(dimms.allSatisfy { $0["CapacityMiB"].int == server.dimmGiB * 1024 })
            let interfaces = await bmc.members(system["EthernetInterfaces"]["@odata.id"].string)
            #expect(interfaces.compactMap { $0["MACAddress"].string } == server.ports.map(\.mac))
            #expect(interfaces.compactMap { $0["SpeedMbps"].int } == server.ports.map(\.speedMbps))
            #expect(await bmc.send("GET", "/redfish/v1/Chassis/1/NetworkAdapters").status == 404)
            #expect(await bmc.send("GET", "/redfish/v1/Systems/1/SmartStorage").status == 404)
        }
    }

    /// Every profile's tree of one server, read by discovery, classifies it as its catalog type with `high`
    /// confidence: the vendors' words (10240 Mbps, 31250 MiB, SmartStorage, PCIe, ToManager)
    /// are normalised before the classifier compares them.
    @Test(
        "discovery through each profile's tree classifies the catalog server high",
        arguments: [SimulatedBMC.Profile.generic, .hpe, .dell, .lenovo, .supermicro])
    func classifiesHigh(profile: SimulatedBMC.Profile) async throws {
        let name = "flex-6336Y.c.large"
        let server = Self.server(name)
        var settings = SimulatedBMC.Settings()
        settings.profile = profile
        let lab = Lab(servers: [server], settings: settings, clock: ManualLabClock())
        let inventory = try await lab.withServer { port in
            let client = try RedfishClient(
                endpoint: RedfishEndpoint(
                    baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password"),
                logger: .init(label: "lab-test"))
            let inventory = await RedfishDiscovery(client: client).inventory()
            await client.close()
            return inventory
        }
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        let result = Classifier(catalog: Self.catalog).classify(inventory)
        #expect(result.deviceType == name, "\(profile): \(result)")
        #expect(result.confidence == .high, "\(profile): \(result)")
    }
}

extension LabHTTP {
    /// The document a link object (`{"@odata.id": …}`) points at.
    func follow(_ link: JSONValue) async -> JSONValue? {
        guard let path = link["@odata.id"].string else { return nil }
        return await send("GET", path).body
    }

    /// The members of the collection at `path`, each read through its link.
    func members(_ path: String?) async -> [JSONValue] {
        guard let path, let collection = await send("GET", path).body else { return [] }
        var result: [JSONValue] = []
        for member in collection["Members"].array {
            if let document = await follow(member) { result.append(document) }
        }
        return result
    }
}

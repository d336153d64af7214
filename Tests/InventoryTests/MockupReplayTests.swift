import Foundation
import Logging
import Redfish
import TestSupport
import Testing

@testable import Inventory

/// Discovery against a real vendor-style tree: DMTF's public-rackmount1 mockup served by sushy-tools' `sushy-static`
/// (`Peer.mockup`). Every expected figure is read from the mockup's own files in `../shared` at test time, by
/// following the same links a client would, so the test holds no copy of the mockup.
@Suite("Discovery against DMTF's mockup served by sushy-static")
struct MockupReplayTests {
    static let folder = Peer.shared.appendingPathComponent("redfish-mockups/public-rackmount1")
    let logger = Logger(label: "mockup-replay-tests")

    /// The mockup's document for a Redfish path (`/redfish/v1/Systems` → `Systems/index.json`).
    static func document(_ path: String) throws -> JSONValue {
        var relative = path
        for prefix in ["/redfish/v1/", "/redfish/v1"] where relative.hasPrefix(prefix) {
            relative = String(relative.dropFirst(prefix.count))
            break
        }
        let file = folder.appendingPathComponent(relative).appendingPathComponent("index.json")
        return try JSONValue.parse(try Data(contentsOf: file))
    }

    /// The documents of a collection's members, read from the files.
    static func members(_ collection: JSONValue) throws -> [JSONValue] {
        try collection["Members"].array.compactMap { $0["@odata.id"].string }.map(document)
    }

    func discover(saveTo folder: URL? = nil) async throws -> (Inventory, Int) {
        let endpoint = RedfishEndpoint(baseURL: try #require(URL(string: try Peer.value("HWA_TEST_MOCKUP_URL"))))
        let client = try RedfishClient(endpoint: endpoint, logger: logger)
        let inventory = await RedfishDiscovery(client: client).inventory(saveTo: folder)
        let requests = await client.requestCount
        await client.shutdown()
        return (inventory, requests)
    }

    @Test(
        "system, BIOS, CPUs, DIMMs, drives, NICs and the BMC match the mockup's own JSON, with no problem",
        .enabled(if: Peer.mockup.enabled))
    func figures() async throws {
        let (inventory, requests) = try await discover()
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        #expect(requests > 5)

        let root = try Self.document("/redfish/v1")
        let systems = try Self.document(try #require(root["Systems"]["@odata.id"].string))
        let systemPath = try #require(systems["Members"].array.first?["@odata.id"].string)
        let system = try Self.document(systemPath)
        #expect(inventory.sources["redfish.system"] == systemPath)
        #expect(inventory.system.manufacturer == system["Manufacturer"].string)
        #expect(inventory.system.product == system["Model"].string)
        #expect(inventory.system.serial == system["SerialNumber"].string)
        #expect(inventory.system.sku == system["SKU"].string)
        #expect(inventory.system.uuid == system["UUID"].string?.lowercased())
        #expect(inventory.bios.version == system["BiosVersion"].string)

        // Processors: CPUs that are present (the mockup also lists an FPGA and an absent second socket).
        let processors = try Self.members(try Self.document(try #require(system["Processors"]["@odata.id"].string)))
        let cpus = processors.filter { $0["ProcessorType"].string == "CPU" && $0["Status"]["State"].string != "Absent" }
        #expect(processors.count > cpus.count, "the mockup's FPGA and empty socket are not CPUs")
        #expect(inventory.cpu.sockets == cpus.count)
        #expect(inventory.cpu.physicalCores == cpus.compactMap { $0["TotalCores"].int }.reduce(0, +))
        #expect(inventory.cpu.threads == cpus.compactMap { $0["TotalThreads"].int }.reduce(0, +))
        #expect(inventory.cpu.model == cpus.first?["Model"].string)
        #expect(inventory.cpu.maxSpeedMHz == cpus.compactMap { $0["MaxSpeedMHz"].int }.max())
        #expect(inventory.cpu.physicalCores == system["ProcessorSummary"]["CoreCount"].int)
        #expect(inventory.cpu.threads == system["ProcessorSummary"]["LogicalProcessorCount"].int)

        // Memory: present DIMMs, CapacityMiB in GiB; the total agrees with the system's MemorySummary.
        let modules = try Self.members(try Self.document(try #require(system["Memory"]["@odata.id"].string)))
            .filter { $0["Status"]["State"].string != "Absent" }
        #expect(inventory.memory.dimms.map(\.slot) == modules.compactMap { $0["Id"].string })
        #expect(
            inventory.memory.dimms.map(\.sizeGiB) == modules.compactMap { $0["CapacityMiB"].double.map { $0 / 1024 } })
        #expect(inventory.memory.totalGiB == system["MemorySummary"]["TotalSystemMemoryGiB"].double)
        #expect(inventory.memory.totalIsUsable == false)

        // Storage: this tree has SimpleStorage only (no Storage link); present devices with their sizes.
        #expect(system["Storage"].isNull)
        let controllers = try Self.members(
            try Self.document(try #require(system["SimpleStorage"]["@odata.id"].string)))
        let devices = controllers.flatMap { $0["Devices"].array }.filter { $0["Status"]["State"].string != "Absent" }
        #expect(!devices.isEmpty)
        #expect(inventory.storage.map(\.name) == devices.compactMap { $0["Name"].string })
        #expect(inventory.storage.map(\.model) == devices.map { $0["Model"].string })
        #expect(inventory.storage.map(\.sizeBytes) == devices.compactMap { $0["CapacityBytes"].double.map(Int64.init) })

        // NICs: every EthernetInterface by its MAC and speed; the physical ones are the data ports, the VLAN (typed
        // Virtual, sharing NIC 1's MAC) and the host-interface link are not.
        let interfaces = try Self.members(
            try Self.document(try #require(system["EthernetInterfaces"]["@odata.id"].string)))
        #expect(inventory.nics.count == interfaces.count)
        for interface in interfaces {
            let id = try #require(interface["Id"].string)
            let nic = try #require(inventory.nics.first { $0.name == id }, "no NIC \(id)")
            #expect(nic.mac == interface["MACAddress"].string?.lowercased())
            #expect(nic.speedMbps == interface["SpeedMbps"].int)
        }
        let physical = interfaces.filter { $0["EthernetInterfaceType"].string == "Physical" }
        #expect(physical.count >= 2)
        #expect(
            Set(inventory.nics.filter(\.isDataPort).map(\.name)) == Set(physical.compactMap { $0["Id"].string }))
        let virtual = interfaces.filter { $0["EthernetInterfaceType"].string == "Virtual" }
        #expect(!virtual.isEmpty)
        for interface in virtual {
            #expect(inventory.nics.first { $0.name == interface["Id"].string }?.role == .virtual)
        }
        for interface in interfaces where interface["Links"]["HostInterface"]["@odata.id"].string != nil {
            #expect(inventory.nics.first { $0.name == interface["Id"].string }?.role == .management)
        }

        // The BMC: its firmware, and its own port (not its end of the host interface).
        let managers = try Self.members(try Self.document(try #require(root["Managers"]["@odata.id"].string)))
        let manager = try #require(managers.first { $0["ManagerType"].string == "BMC" })
        let ports = try Self.members(
            try Self.document(try #require(manager["EthernetInterfaces"]["@odata.id"].string)))
        #expect(ports.contains { $0["Links"]["HostInterface"]["@odata.id"].string != nil })
        let port = try #require(ports.first { $0["Links"]["HostInterface"]["@odata.id"].string == nil })
        let bmc = try #require(inventory.bmc)
        #expect(bmc.firmware == manager["FirmwareVersion"].string)
        #expect(bmc.ip == port["IPv4Addresses"].array.first?["Address"].string)
        #expect(bmc.netmask == port["IPv4Addresses"].array.first?["SubnetMask"].string)
        #expect(bmc.gateway == port["IPv4Addresses"].array.first?["Gateway"].string)
        #expect(bmc.ipSource == port["IPv4Addresses"].array.first?["AddressOrigin"].string?.lowercased())
        #expect(bmc.mac == port["MACAddress"].string?.lowercased())
        #expect(bmc.vlan == (port["VLAN"]["VLANEnable"].bool == true ? port["VLAN"]["VLANId"].int : nil))

        // The chassis is a RackMount, not a board: no board model is made up from it.
        #expect(inventory.baseboard.product == nil)
    }

    @Test("sections missing from the tree are problems naming them; what was read stays, and the summary total")
    func missingSections() async throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-mockup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: Self.folder, to: copy)
        let system = copy.appendingPathComponent("Systems/437XR1138R2")
        for gone in ["Memory/DIMM2", "SimpleStorage", "Processors/CPU1"] {
            try FileManager.default.removeItem(at: system.appendingPathComponent(gone))
        }
        try FileManager.default.removeItem(at: copy.appendingPathComponent("Managers/BMC/EthernetInterfaces"))
        var read = Inventory()
        await RedfishInventoryReader(source: RedfishMockupSource(root: copy)).read(into: &read)
        let inventory = Normalisation.normalised(read)

        let sections = Set(inventory.problems.compactMap(\.section))
        #expect(sections == [.memory, .storage, .cpu, .bmc], "\(inventory.problems)")
        #expect(inventory.problems.contains { $0.source.hasSuffix("/Memory/DIMM2") })
        #expect(inventory.problems.contains { $0.source.hasSuffix("/SimpleStorage") })
        // The modules that were read are listed; the total stays the system's own MemorySummary, not their sum.
        let summary = try Self.document("/redfish/v1/Systems/437XR1138R2")["MemorySummary"]["TotalSystemMemoryGiB"]
        #expect(inventory.memory.dimms.map(\.slot) == ["DIMM1", "DIMM3"])
        #expect(inventory.memory.totalGiB == summary.double)
        #expect(inventory.storage.isEmpty)
        // The present CPU could not be read: the processor summary's cores and threads stand.
        let processors = try Self.document("/redfish/v1/Systems/437XR1138R2")["ProcessorSummary"]
        #expect(inventory.cpu.physicalCores == processors["CoreCount"].int)
        #expect(inventory.cpu.threads == processors["LogicalProcessorCount"].int)
        // The manager was read without its interfaces: firmware known, no address made up.
        #expect(inventory.bmc?.firmware == (try Self.document("/redfish/v1/Managers/BMC"))["FirmwareVersion"].string)
        #expect(inventory.bmc?.ip == nil)
        #expect(inventory.system.serial == "437XR1138R2")
    }

    @Test("the BMC's own port and a VLAN typed Virtual are found by what they are, not by order or name")
    func typedNotNamed() async throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-mockup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: Self.folder, to: copy)
        func rewrite(_ path: String, _ change: (inout [String: Any]) -> Void) throws {
            let file = copy.appendingPathComponent(path).appendingPathComponent("index.json")
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            change(&object)
            try JSONSerialization.data(withJSONObject: object).write(to: file)
        }
        // The host-interface end listed first; the VLAN with an id and description that do not say what it is.
        try rewrite("Managers/BMC/EthernetInterfaces") {
            $0["Members"] = ($0["Members"] as? [Any]).map { Array($0.reversed()) }
        }
        try rewrite("Systems/437XR1138R2/EthernetInterfaces/VLAN1") { object in
            object["Id"] = "NIC1-1000"
            object["Description"] = "System NIC 1, tagged"
        }
        var read = Inventory()
        await RedfishInventoryReader(source: RedfishMockupSource(root: copy)).read(into: &read)
        let inventory = Normalisation.normalised(read)
        let port = try Self.document("/redfish/v1/Managers/BMC/EthernetInterfaces/eth0")
        #expect(inventory.bmc?.ip == port["IPv4Addresses"].array.first?["Address"].string)
        #expect(inventory.bmc?.mac == port["MACAddress"].string?.lowercased())
        #expect(inventory.nics.first { $0.name == "NIC1-1000" }?.role == .virtual)
        #expect(inventory.nics.filter(\.isDataPort).count == 2)
    }

    @Test(
        "the tree saved from sushy-static rebuilds the same inventory offline",
        .enabled(if: Peer.mockup.enabled))
    func savedTree() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-mockup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (live, _) = try await discover(saveTo: folder.appendingPathComponent(DiscoveryBundle.redfishFolder))
        let offline = await (try DiscoveryBundle.read(from: folder)).inventory()
        #expect(offline == live)
    }
}

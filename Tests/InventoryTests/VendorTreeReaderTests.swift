import Foundation
import Redfish
import Synchronization
import Testing

@testable import Inventory

/// The Redfish reader against trees shaped like each vendor's (Fixtures/vendor-shapes, every file naming where its
/// shape comes from): the raw values land in the inventory as the BMC wrote them, and the normalised inventory
/// classifies `high` against a catalog type the server fits.
@Suite("Redfish vendor trees")
struct VendorTreeReaderTests {
    /// A tree's folder.
    static func tree(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures/vendor-shapes/\(name)", withExtension: nil))
    }

    /// The inventory read from a tree, through `wrap` (a source that fails some reads) when given.
    static func read(
        _ name: String, wrap: (any RedfishDocumentSource) -> any RedfishDocumentSource = { $0 }
    ) async throws -> Inventory {
        var inventory = Inventory()
        await RedfishInventoryReader(source: wrap(RedfishMockupSource(root: try tree(name)))).read(into: &inventory)
        return inventory
    }

    /// A saved tree that refuses some requests (404, as a BMC does), counting them.
    final class RefusingSource: RedfishDocumentSource {
        let upstream: any RedfishDocumentSource
        let refuses: @Sendable (String) -> Bool
        let refused = Mutex<[String]>([])

        init(_ upstream: any RedfishDocumentSource, refuses: @escaping @Sendable (String) -> Bool) {
            self.upstream = upstream
            self.refuses = refuses
        }

        func get(_ path: String) async throws -> JSONValue {
            if refuses(path) {
                refused.withLock { $0.append(path) }
                throw RedfishError(
                    kind: .http, bmc: "test", method: "GET", path: path, status: 404, message: "no such resource")
            }
            return try await upstream.get(path)
        }
    }

    @Test(
        "HPE iLO 5: drives from SmartStorage (CapacityMiB, InterfaceType, MediaType, Model), ports from BaseNetworkAdapters"
    )
    func hpe() async throws {
        let inventory = try await Self.read("hpe-ilo5")
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        #expect(inventory.system.manufacturer == "HPE")
        #expect(inventory.storage.count == 2)
        for (index, drive) in inventory.storage.enumerated() {
            #expect(drive.name == "1I:1:\(index + 1)")
            #expect(drive.sizeBytes == 953_869 * 1_048_576)
            #expect(drive.transport == "NVMe" && drive.mediaType == "SSD" && drive.kind == .nvme)
            #expect(drive.model == "VO001920KYDMT" && drive.serial == "S6JNNG0T\(index)")
        }
        #expect(inventory.sources["storage"] == "redfish SmartStorage")
        #expect(inventory.nics.map(\.mac) == ["94:40:c9:3a:2b:10", "94:40:c9:3a:2b:11"])
        #expect(inventory.nics.map(\.speedMbps) == [10000, 10000])
        #expect(inventory.nics.allSatisfy { $0.label == "HPE Ethernet 10Gb 2-port 562FLR-T Adapter" })
        #expect(inventory.cpu.maxSpeedMHz == 4100 && inventory.cpu.physicalCores == 32)
        #expect(inventory.memory.dimms.count == 8 && inventory.memory.totalGiB == 256)
        #expect(inventory.missingSections.isEmpty)
    }

    @Test("Dell iDRAC 9: every port of the dual-port adapter at 10240 Mbps, the unlisted one's MAC from its function")
    func dell() async throws {
        let inventory = try await Self.read("dell-idrac9")
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        let byName = Dictionary(uniqueKeysWithValues: inventory.nics.map { ($0.name, $0) })
        #expect(inventory.nics.count == 3, "\(inventory.nics.map(\.name))")
        // Port 1 is the host's EthernetInterface (the adapter's view of it is merged by MAC, not added again).
        let first = try #require(byName["NIC.Integrated.1-1-1"])
        #expect(first.mac == "b0:7b:25:de:1a:10" && first.speedMbps == 10240 && first.linkUp == true)
        #expect(first.label == "Integrated NIC 1 Port 1 Partition 1")
        // Port 2 has no link: its supported speed, as written, and the MAC its NetworkDeviceFunction holds.
        let second = try #require(byName["NIC.Integrated.1-2"])
        #expect(second.mac == "b0:7b:25:de:1a:11" && second.speedMbps == 10240 && second.linkUp == false)
        #expect(second.label == "Broadcom Adv. Dual 10GBASE-T Ethernet")
        let embedded = try #require(byName["NIC.Embedded.1-1"])
        #expect(embedded.speedMbps == 1024 && embedded.mac == "b0:7b:25:de:1a:12")
        // DIMMs and drives as iDRAC writes them.
        #expect(inventory.memory.dimms.count == 8)
        #expect(inventory.memory.dimms.allSatisfy { $0.sizeGiB == 31250.0 / 1024 })
        #expect(inventory.memory.totalGiB == 8 * 31250.0 / 1024)
        #expect(inventory.storage.map(\.transport) == ["PCIe", "PCIe"])
        #expect(inventory.storage.allSatisfy { $0.mediaType == "SSD" && $0.sizeBytes == 1_920_383_410_176 })
        #expect(inventory.cpu.maxSpeedMHz == 4000)
    }

    @Test("Lenovo XCC: LNVO kept, ToManager present and identifiable, adapter Ports merged with the colon-less MACs")
    func lenovo() async throws {
        let inventory = try await Self.read("lenovo-xcc")
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        #expect(inventory.system.manufacturer == "LNVO")
        #expect(inventory.nics.map(\.name) == ["NIC1", "NIC2", "ToManager"])
        #expect(inventory.nics.map(\.mac) == ["0894ef123456", "0894ef123457", "0a94ef123458"])
        #expect(inventory.nics.map(\.speedMbps) == [25000, 25000, 100])
        let toManager = inventory.nics[2]
        #expect(toManager.label == "Ethernet Interface to Manager")
        #expect(toManager.ipv4 == ["169.254.95.120/16"])
        #expect(inventory.storage.map(\.transport) == ["SATA", "SATA"])
    }

    @Test("Supermicro X11: ports only from EthernetInterfaces, the board from the main chassis' Model")
    func supermicroX11() async throws {
        let inventory = try await Self.read("supermicro-x11")
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        #expect(inventory.baseboard.product == "X11SCE-F")
        #expect(inventory.nics.map(\.speedMbps) == [1000, 1000])
        #expect(inventory.system.serial == "0123456789")
    }

    @Test("Supermicro X13: Ports in Gbps (MaxSpeedGbps without a link), MACs from functions' AssignablePhysicalPorts")
    func supermicroX13() async throws {
        let inventory = try await Self.read("supermicro-x13")
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        #expect(inventory.nics.map(\.name) == ["1-1", "1-2"])
        #expect(inventory.nics.map(\.mac) == ["7c:c2:55:a0:00:01", "7c:c2:55:a0:00:02"])
        #expect(inventory.nics.map(\.speedMbps) == [25000, 25000])
        #expect(inventory.nics.map(\.linkUp) == [true, false])
        // The tree has no drive at all: `discover` names the section and fails.
        #expect(inventory.missingSections == [.storage])
    }

    @Test("a 404 to $expand: the reader reads members one by one, stops asking, and misses nothing")
    func expandFallback() async throws {
        let plain = try await Self.read("dell-idrac9")
        var source: RefusingSource?
        let fallback = try await Self.read("dell-idrac9") { upstream in
            let refusing = RefusingSource(upstream) { $0.contains("$expand") }
            source = refusing
            return refusing
        }
        #expect(fallback == plain)
        #expect(fallback.problems.isEmpty)
        // One refused expansion, then plain reads only.
        #expect(try #require(source).refused.withLock { $0 }.count == 1)
    }

    @Test("a saved tree replays the live walk exactly: its failed reads fail again with the same words")
    func replayedFailures() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-bundle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let dimm = "/redfish/v1/Systems/System.Embedded.1/Memory/DIMM.Socket.A3"
        let upstream = RefusingSource(RedfishMockupSource(root: try Self.tree("dell-idrac9"))) {
            $0 == dimm || $0.contains("$expand")
        }
        let live = await RedfishDiscovery.inventory(
            from: upstream, system: nil, saveTo: folder.appendingPathComponent(DiscoveryBundle.redfishFolder))
        #expect(live.problems.map(\.source) == ["redfish \(dimm)"])
        let replayed = try await DiscoveryBundle.read(from: folder).inventory()
        #expect(replayed == live)
        #expect(replayed.problems == live.problems)
    }

    @Test("a resource that fails is a problem naming its section; it lowers the confidence and is listed")
    func failedResource() async throws {
        let dimm = "/redfish/v1/Systems/System.Embedded.1/Memory/DIMM.Socket.A3"
        let inventory = try await Self.read("dell-idrac9") { upstream in
            RefusingSource(upstream) { $0 == dimm }
        }
        let problem = try #require(inventory.problems.first)
        #expect(inventory.problems.count == 1)
        #expect(problem.section == .memory && problem.source == "redfish \(dimm)")
        let classifier = VendorShapeClassificationTests.classifier
        let intact = classifier.classify(try await Self.read("dell-idrac9"))
        #expect(intact.confidence == .high && intact.problems.isEmpty)
        let result = classifier.classify(inventory)
        #expect(result.confidence < .high)
        #expect(result.problems == [problem])
        #expect(result.problemLines.first?.hasPrefix("not read (memory): redfish \(dimm)") == true)
        // A problem outside what the classifier compares changes nothing.
        var bmcOnly = try await Self.read("dell-idrac9")
        bmcOnly.problem("redfish /redfish/v1/Managers", "timeout", section: .bmc)
        #expect(classifier.classify(bmcOnly).confidence == .high)
    }

    @Test(
        "each vendor tree, read and normalised, classifies high against the catalog type it fits",
        arguments: [
            ("hpe-ilo5", "flex-6542Y.c.large"), ("dell-idrac9", "test.dell.r650"),
            ("lenovo-xcc", "test.lenovo.sr630v2"), ("supermicro-x11", "s1.e1.small"),
        ])
    func classifiesHigh(tree: String, type: String) async throws {
        let inventory = try await Self.read(tree)
        let result = VendorShapeClassificationTests.classifier.classify(inventory)
        #expect(result.deviceType == type, "\(tree): \(result.candidates)")
        #expect(result.confidence == .high, "\(tree): \(result.reasons.map(\.description))")
        VendorShapeClassificationTests.expectNoPlaceholder(result)
        let normalised = Normalisation.normalised(inventory)
        if tree == "lenovo-xcc" {
            #expect(normalised.nics.map(\.role) == [.data, .data, .management])
        }
        if tree == "dell-idrac9" {
            let network = try VendorShapeClassificationTests.reason(result, "nic speed")
            #expect(network.found?.contains("(BMC reports 10240 Mbps)") == true, "\(network)")
        }
    }
}

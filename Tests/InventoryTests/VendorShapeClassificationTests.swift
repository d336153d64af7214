import Catalog
import Foundation
import Testing

@testable import Inventory

/// Inventories holding what Dell iDRAC, HPE iLO 5, Lenovo XCC and Supermicro BMCs really report (the raw figures as
/// the readers put them in the model), classified against a catalog type each server fits: `high`, with the
/// normalised and the reported values in the explanation and no placeholder anywhere.
@Suite("Classification of vendor-shaped inventories")
struct VendorShapeClassificationTests {
    /// The built-in catalog plus a Dell and a Lenovo type (the shipped catalog has HPE and Supermicro types only).
    static let catalog: Catalog = {
        var catalog = ClassifierTests.catalog
        let types = [
            DeviceType(
                name: "test.dell.r650", vendor: "dell",
                hardware: HardwareSpec(
                    cpu: CPUSpec(model: "Intel Xeon Gold 6338", sockets: 2, cores: 64, frequencyGHz: 2.0),
                    memoryGiB: 256, storage: [DriveGroup(count: 2, sizeGB: 1920, kind: .nvme)],
                    network: [NICGroup(count: 2, speedGbps: 10)])),
            DeviceType(
                name: "test.lenovo.sr630v2", vendor: "lenovo",
                hardware: HardwareSpec(
                    cpu: CPUSpec(model: "Intel Xeon Silver 4314", sockets: 2, cores: 32, frequencyGHz: 2.4),
                    memoryGiB: 128, storage: [DriveGroup(count: 2, sizeGB: 960, kind: .ssd)],
                    network: [NICGroup(count: 2, speedGbps: 25)])),
        ]
        for type in types { catalog.deviceTypes[DeviceTypeName.canonical(type.name)] = type }
        return catalog
    }()
    static let classifier = Classifier(catalog: catalog)

    /// Placeholder strings the shapes below carry; none may reach a reason or a proposal.
    static let placeholders = ["NONE", "To be filled by O.E.M.", "Default string", "0123456789", "Not Specified"]

    static func reason(_ result: Classification, _ field: String) throws -> FieldReason {
        try #require(result.reasons.first { $0.field == field })
    }

    static func expectNoPlaceholder(_ result: Classification) {
        let text = result.reasons.map(\.description).joined(separator: "\n") + (result.proposal ?? "")
        for placeholder in placeholders {
            #expect(!text.contains(placeholder), "\(placeholder) in \(text)")
        }
    }

    /// Dell iDRAC 8/9 (PowerEdge R650): `SpeedMbps` 10240 for 10 GbE ports, `CapacityMiB` 31250 for 32 GB DIMMs
    /// (the reader's total is their sum, 244.1 GiB), NVMe drives as `Protocol: PCIe` / `MediaType: SSD`.
    static func dell() -> Inventory {
        var inventory = Inventory()
        inventory.system = SystemInfo(
            manufacturer: "Dell Inc.", product: "PowerEdge R650", serial: "CN7475163N0123", sku: "4CZX2N3")
        inventory.bios.version = "1.10.2"
        inventory.cpu = CPUInventory(
            model: "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", sockets: 2, physicalCores: 64, threads: 128,
            maxSpeedMHz: 4000)
        inventory.memory.dimms = (0..<8).map { index in
            DIMM(
                slot: "DIMM.Socket.A\(index + 1)", sizeGiB: 31250.0 / 1024, speedMTs: 3200,
                manufacturer: "Hynix Semiconductor", part: "HMA84GR7CJR4N-XN", serial: "3580\(index)A1B")
        }
        inventory.memory.totalGiB = inventory.memory.dimms.reduce(0) { $0 + $1.sizeGiB }
        inventory.nics = [
            NetworkInterface(name: "NIC.Integrated.1-1-1", mac: "B0:7B:25:DE:1A:10", speedMbps: 10240, linkUp: true),
            NetworkInterface(name: "NIC.Integrated.1-2-1", mac: "B0:7B:25:DE:1A:11", speedMbps: 10240, linkUp: true),
            NetworkInterface(name: "NIC.Embedded.1-1-1", mac: "B0:7B:25:DE:1A:12", speedMbps: 1024, linkUp: false),
        ]
        inventory.storage = (0..<2).map { index in
            StorageDevice(
                name: "Disk.Bay.\(index):Enclosure.Internal.0-1", model: "Dell Ent NVMe CM6 RI 1.92TB",
                sizeBytes: 1_920_383_410_176, kind: .ssd, serial: "Y1P0A0\(index)", transport: "PCIe",
                mediaType: "SSD")
        }
        for fact in ["system.manufacturer", "memory.total_gib", "storage", "cpu.model"] {
            inventory.sources[fact] = "redfish"
        }
        return inventory
    }

    @Test("Dell iDRAC: 10240 Mbps, 31250 MiB DIMMs and NVMe over PCIe classify high, explained in GbE and GB")
    func dellShape() throws {
        let result = Self.classifier.classify(Self.dell())
        #expect(result.deviceType == "test.dell.r650", "\(result.candidates)")
        #expect(result.confidence == .high, "\(result.reasons.map(\.description))")
        let network = try Self.reason(result, "nic speed")
        #expect(network.verdict == .matched)
        #expect(network.found?.contains("2× 10 GbE (BMC reports 10240 Mbps)") == true, "\(network)")
        #expect(network.found?.contains("1× 1 GbE (BMC reports 1024 Mbps)") == true, "\(network)")
        #expect(network.expected == "2× 10 GbE")
        let memory = try Self.reason(result, "memory")
        #expect(memory.verdict == .matched)
        #expect(memory.found == "256 GB in 8 DIMMs (BMC reports 244.1 GiB)")
        let storage = try Self.reason(result, "storage")
        #expect(storage.verdict == .matched)
        #expect(storage.found == "2× 1.92 TB NVMe (BMC reports PCIe SSD)", "\(storage)")
        #expect(try Self.reason(result, "vendor").found == "dell")
        Self.expectNoPlaceholder(result)
    }

    /// HPE iLO 5 (ProLiant DL360 Gen11): drives only under SmartStorage (`InterfaceType`, `MediaType`,
    /// `CapacityMiB` — 953869 MiB for a 1 TB drive), adapters under `BaseNetworkAdapters`, manufacturer `HPE`, no
    /// Motherboard chassis (the catalog's HPE boards are system models).
    static func hpe() -> Inventory {
        var inventory = Inventory()
        inventory.system = SystemInfo(
            manufacturer: "HPE", product: "ProLiant DL360 Gen11", serial: "CZ2D1X0ABC", sku: "P52499-B21")
        inventory.baseboard = BaseboardInfo(manufacturer: "HPE", product: "NONE", serial: "0123456789")
        inventory.cpu = CPUInventory(
            model: "Intel(R) Xeon(R) Gold 6536", sockets: 2, physicalCores: 32, threads: 64, maxSpeedMHz: 4100)
        inventory.memory = MemoryInventory(
            totalGiB: 256, dimms: (0..<8).map { DIMM(slot: "PROC 1 DIMM \($0 + 1)", sizeGiB: 32768.0 / 1024) })
        inventory.nics = (0..<2).map { index in
            NetworkInterface(name: "DA000000/\(index + 1)", mac: "94:40:C9:3A:2B:\(10 + index)", speedMbps: 10000)
        }
        inventory.storage = (0..<2).map { index in
            StorageDevice(
                name: "ArrayControllers/0/DiskDrives/\(index)", model: "VO001920KYDMT", sizeBytes: 953_869 * 1_048_576,
                kind: .unknown, serial: "S6JNNG0T\(index)", transport: "NVMe", mediaType: "SSD")
        }
        inventory.sources["memory.total_gib"] = "redfish"
        return inventory
    }

    @Test("HPE iLO 5: SmartStorage drives in MiB and a NONE board classify high against the DL360 Gen11 type")
    func hpeShape() throws {
        let result = Self.classifier.classify(Self.hpe())
        #expect(result.deviceType == "flex-6542Y.c.large", "\(result.candidates)")
        #expect(result.confidence == .high, "\(result.reasons.map(\.description))")
        let board = try Self.reason(result, "board")
        #expect(board.verdict == .matched)
        #expect(board.found == "ProLiant DL360 Gen11")
        let storage = try Self.reason(result, "storage")
        #expect(storage.verdict == .matched)
        #expect(storage.found == "2× 1 TB NVMe", "\(storage)")
        #expect(try Self.reason(result, "nic speed").found == "2× 10 GbE")
        #expect(try Self.reason(result, "memory").found == "256 GB in 8 DIMMs")
        Self.expectNoPlaceholder(result)
    }

    /// Lenovo XCC (ThinkSystem SR630 V2): manufacturer `LNVO`, MACs without colons, and the `ToManager` virtual
    /// NIC (100 Mb, LAN over USB to the XCC) among the host's interfaces; placeholders in the board's serial.
    static func lenovo() -> Inventory {
        var inventory = Inventory()
        inventory.system = SystemInfo(
            manufacturer: "LNVO", product: "ThinkSystem SR630 V2 -[7Z71CTO1WW]-", serial: "J30A1B2C",
            sku: "7Z71CTO1WW")
        inventory.baseboard = BaseboardInfo(manufacturer: "LNVO", product: "Not Specified", serial: "NONE")
        inventory.cpu = CPUInventory(
            model: "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz", sockets: 2, physicalCores: 32, threads: 64)
        inventory.memory = MemoryInventory(
            totalGiB: 128, dimms: (0..<8).map { DIMM(slot: "DIMM \($0 + 1)", sizeGiB: 16, manufacturer: "Samsung") })
        inventory.nics = [
            NetworkInterface(name: "NIC1", mac: "0894EF123456", speedMbps: 25000, linkUp: true),
            NetworkInterface(name: "NIC2", mac: "0894EF123457", speedMbps: 25000, linkUp: true),
            NetworkInterface(name: "ToManager", mac: "0A94EF123458", speedMbps: 100, linkUp: true),
        ]
        inventory.nics[2].label = "Ethernet Interface to Manager"
        inventory.storage = (0..<2).map { index in
            StorageDevice(
                name: "Disk.\(index)", model: "MTFDDAK960TDT", sizeBytes: 960_197_124_096, kind: .ssd,
                serial: "2140\(index)", transport: "SATA", mediaType: "SSD")
        }
        return inventory
    }

    @Test("Lenovo XCC: LNVO, colon-less MACs and the ToManager NIC classify high; ToManager is not a data port")
    func lenovoShape() throws {
        let inventory = Normalisation.normalised(Self.lenovo())
        #expect(inventory.system.vendor == "lenovo")
        #expect(inventory.nics.map(\.mac) == ["08:94:ef:12:34:56", "08:94:ef:12:34:57", "0a:94:ef:12:34:58"])
        #expect(inventory.nics.map(\.role) == [.data, .data, .management])
        let result = Self.classifier.classify(Self.lenovo())
        #expect(result.deviceType == "test.lenovo.sr630v2", "\(result.candidates)")
        #expect(result.confidence == .high, "\(result.reasons.map(\.description))")
        let network = try Self.reason(result, "nic speed")
        #expect(network.found == "2× 25 GbE; not counted: ToManager (management)")
        #expect(try Self.reason(result, "vendor").found == "lenovo")
        #expect(try Self.reason(result, "board").verdict == .unknown)
        Self.expectNoPlaceholder(result)
    }

    /// Supermicro (X11SCE-F, AMI BIOS): the system's product and serial, SKU and board serial left at the BIOS's
    /// defaults; `Super Micro Computer, Inc.` as the manufacturer.
    static func supermicro() -> Inventory {
        var inventory = Inventory()
        inventory.system = SystemInfo(
            manufacturer: "Super Micro Computer, Inc.", product: "To be filled by O.E.M.", serial: "0123456789",
            uuid: "03000200-0400-0500-0006-000700080009", sku: "Default string")
        inventory.baseboard = BaseboardInfo(
            manufacturer: "Supermicro", product: "X11SCE-F", serial: "Default string")
        inventory.cpu = CPUInventory(
            model: "Intel(R) Xeon(R) E-2186G CPU @ 3.80GHz", sockets: 1, physicalCores: 6, threads: 12)
        inventory.memory = MemoryInventory(
            totalGiB: 32,
            dimms: (0..<2).map {
                DIMM(slot: "DIMMA\($0 + 1)", sizeGiB: 16, manufacturer: "Micron", part: "Not Specified", serial: "NONE")
            })
        inventory.nics = [
            NetworkInterface(name: "1", mac: "3C:EC:EF:01:02:03", speedMbps: 1000),
            NetworkInterface(name: "2", mac: "3C:EC:EF:01:02:04", speedMbps: 1000),
        ]
        inventory.storage = [
            StorageDevice(
                name: "Disk.Bay.0", model: "MZ7L3480HCHQ-00A07", sizeBytes: 480_103_981_056, kind: .unknown,
                serial: "S6ENNA0T", transport: "SATA", mediaType: "SSD")
        ]
        return inventory
    }

    @Test("Supermicro: O.E.M. placeholders count as unknown and the X11SCE-F type classifies high")
    func supermicroShape() throws {
        let inventory = Normalisation.normalised(Self.supermicro())
        #expect(inventory.system.product == nil && inventory.system.serial == nil && inventory.system.uuid == nil)
        #expect(inventory.system.sku == nil && inventory.baseboard.serial == nil)
        #expect(inventory.system.vendor == "supermicro")
        let result = Self.classifier.classify(Self.supermicro())
        #expect(result.deviceType == "s1.e1.small", "\(result.candidates)")
        #expect(result.confidence == .high, "\(result.reasons.map(\.description))")
        #expect(try Self.reason(result, "storage").found == "1× 480 GB SSD")
        #expect(try Self.reason(result, "board").found == "X11SCE-F")
        Self.expectNoPlaceholder(result)
    }

    @Test("unknown hardware full of placeholders: the proposal is named after real values, never a placeholder")
    func proposalWithoutPlaceholders() throws {
        var inventory = Self.supermicro()
        inventory.baseboard.product = "Default string"
        inventory.cpu = CPUInventory(model: "AMD EPYC 9124 16-Core Processor", sockets: 1, physicalCores: 16)
        inventory.memory.dimms = (0..<8).map { DIMM(slot: "DIMM\($0)", sizeGiB: 31250.0 / 1024) }
        inventory.memory.totalGiB = 8 * 31250.0 / 1024
        inventory.nics.append(NetworkInterface(name: "usb0", mac: "0A94EF123458", speedMbps: 100))
        let result = Self.classifier.classify(inventory)
        #expect(result.outcome == .unknown)
        let proposal = try #require(result.proposal)
        #expect(proposal.contains("proposed.server.c16.m256"), "\(proposal)")
        #expect(proposal.contains("serial unknown"), "\(proposal)")
        // The USB NIC is not a port of the server.
        #expect(!proposal.contains("speed_gbps: 0.1"), "\(proposal)")
        #expect(proposal.contains("count: 2\n        speed_gbps: 1.0"), "\(proposal)")
        Self.expectNoPlaceholder(result)
        for placeholder in ["default-string", "to-be-filled"] { #expect(!proposal.contains(placeholder)) }
    }

    @Test("catalog-shaped inventories (the demo's and the benchmark's): normalising them changes no verdict")
    func catalogShapedUnchanged() async throws {
        var modelIndex: [String: Int] = [:]
        let types = ClassifierTests.catalog.sortedDeviceTypes()
        let features = types.map { TypeFeatures($0, modelIndex: &modelIndex) }
        for (type, typeFeatures) in zip(types, features) {
            let inventory = await ClassifierTests.inventory(of: type)
            let normalised = Normalisation.normalised(inventory)
            #expect(normalised.nics.allSatisfy { $0.isDataPort }, "\(type.name): \(normalised.nics)")
            #expect(normalised.memory.totalGiB == inventory.memory.totalGiB, "\(type.name)")
            #expect(normalised.storage.map(\.kind) == inventory.storage.map(\.kind), "\(type.name)")
            #expect(Normalisation.normalised(normalised) == normalised, "\(type.name): not idempotent")
            let raw = InventoryFeatures(inventory, modelIndex: modelIndex)
            let clean = InventoryFeatures(normalised, modelIndex: modelIndex)
            for field in Classifier.Field.allCases {
                #expect(
                    Classifier.verdict(field, typeFeatures, raw) == Classifier.verdict(field, typeFeatures, clean),
                    "\(type.name): \(field.name)")
            }
        }
    }
}

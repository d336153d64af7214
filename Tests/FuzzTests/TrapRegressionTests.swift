import BIOS
import Catalog
import Foundation
import Inventory
import Lab
import MAAS
import Redfish
import Testing

/// Each input here used to trap (and kill the process); now it gives an error or an unknown value.
@Suite("Inputs that used to crash")
struct TrapRegressionTests {
    static let nines = String(repeating: "9", count: 400)

    /// Parses one tool output and classifies the result, as discovery does.
    private func read(_ file: DiscoveryBundle.File, _ text: String) throws -> Inventory {
        var inventory = Inventory()
        DiscoveryBundle.apply(file, text, into: &inventory)
        let catalog = try CatalogLoader.load(directory: nil).catalog
        _ = Classifier(catalog: catalog).classify(inventory)
        return inventory
    }

    @Test("JSON numbers no Int64 holds are written as text, not converted (JSONValue.string)")
    func jsonNumberAsText() throws {
        let document = try JSONValue.parse(#"{"Manufacturer": 1e300, "Model": -1.7976931348623157e308, "N": 8}"#)
        #expect(document["Manufacturer"].string == "1e+300")
        #expect(document["Model"].string == "-1.7976931348623157e+308")
        #expect(document["N"].string == "8")
        #expect(JSONValue.number(.infinity).string == "inf")
        #expect(JSONValue.number(9_223_372_036_854_775_808).string == "9.223372036854776e+18")
    }

    @Test("inf, nan and 1e400 written as strings are not numbers (JSONValue.double, .int)")
    func nonFiniteStrings() {
        for text in ["inf", "-inf", "nan", "NaN", "1e400", "-1e400", "infinity"] {
            #expect(JSONValue.string(text).double == nil, "\(text)")
            #expect(JSONValue.string(text).int == nil, "\(text)")
        }
        #expect(JSONValue.string("18446744073709551616").int == nil)
        #expect(JSONValue.string(" 42 ").int == 42)
    }

    @Test("a JSON number beyond a Double is a parse error naming where it is")
    func jsonNumberOutOfRange() {
        do {
            _ = try JSONValue.parse(#"{"Members": [{"CapacityBytes": 1e400}]}"#)
            Issue.record("1e400 was accepted")
        } catch {
            #expect(error.reason == "a number out of range (beyond ±1.8e308) at $.Members[0].CapacityBytes")
        }
    }

    @Test("JSON deeper than the reader allows is a parse error")
    func deepJSON() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(deep) }
    }

    @Test("lsblk: a size of 1e300 or \"inf\" bytes is no disk")
    func lsblkHugeSize() throws {
        let text = #"""
            {"blockdevices": [{"name": "sda", "size": 1e300, "type": "disk"}, {"name": "sdb", "size": "inf", "type": "disk"},
             {"name": "sdc", "size": 960197124096, "rota": false, "type": "disk"}]}
            """#
        let inventory = try read(.lsblk, text)
        #expect(inventory.storage.map(\.name) == ["sdc"])
    }

    @Test("lshw: disk sizes, link speeds in bits and speed text beyond Int")
    func lshwHugeNumbers() throws {
        let text = """
            [{"class": "disk", "logicalname": "/dev/sda", "size": 1e300},
             {"class": "network", "logicalname": "eth0", "size": 1e300},
             {"class": "network", "logicalname": "eth1", "configuration": {"speed": "\(Self.nines)Gbit/s"}},
             {"class": "network", "logicalname": "eth2", "configuration": {"speed": "25Gbit/s"}}]
            """
        let inventory = try read(.lshw, text)
        #expect(inventory.storage.isEmpty)
        #expect(inventory.nics.first { $0.name == "eth0" }?.speedMbps == nil)
        #expect(inventory.nics.first { $0.name == "eth1" }?.speedMbps == nil)
        #expect(inventory.nics.first { $0.name == "eth2" }?.speedMbps == 25_000)
    }

    @Test("dmidecode: speeds of 1e300 MHz, sizes of inf GB and core counts that overflow when added")
    func dmidecodeHugeNumbers() throws {
        func processor(_ handle: Int, cores: String, speed: String) -> String {
            """
            Handle 0x00\(handle), DMI type 4, 48 bytes
            Processor Information
            \tVersion: Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz
            \tMax Speed: \(speed)
            \tStatus: Populated, Enabled
            \tCore Count: \(cores)
            \tThread Count: \(cores)

            """
        }
        let memory = """
            Handle 0x0110, DMI type 17, 92 bytes
            Memory Device
            \tSize: inf GB
            \tLocator: DIMMA1
            \tSpeed: 1e300 MT/s

            Handle 0x0111, DMI type 17, 92 bytes
            Memory Device
            \tSize: 1e308 TB
            \tLocator: DIMMA2

            """
        let text =
            processor(40, cores: "9223372036854775807", speed: "1e300 MHz")
            + processor(41, cores: "9223372036854775807", speed: "inf GHz") + memory
        let inventory = try read(.dmidecode, text)
        #expect(inventory.cpu.sockets == 2)
        #expect(inventory.cpu.physicalCores == nil)
        #expect(inventory.cpu.maxSpeedMHz == nil)
        #expect(inventory.memory.totalGiB == nil)
        #expect(!inventory.problems.isEmpty)
    }

    @Test("lscpu: sockets × cores that overflow, and a max speed of 1e300 MHz")
    func lscpuOverflow() throws {
        let text = """
            CPU(s):                  64
            Socket(s):               9223372036854775807
            Core(s) per socket:      2
            Thread(s) per core:      2
            CPU max MHz:             1e300
            """
        let inventory = try read(.lscpuText, text)
        #expect(inventory.cpu.physicalCores == 32)
        #expect(inventory.cpu.maxSpeedMHz == nil)
        let negative = try read(.lscpuText, "Socket(s): -2\nCore(s) per socket: 8\n")
        #expect(negative.cpu.sockets == nil)
    }

    @Test("free: a total of 1e400 (inf) or 1e300 bytes, then classification")
    func freeHugeTotal() throws {
        #expect(try read(.free, "Mem: 1e400 0 0\n").memory.totalGiB == nil)
        // Finite but beyond any whole number of GiB: the proposal rounds it without converting it to Int.
        let huge = try read(.free, "Mem: 1e300 0 0\n")
        #expect(huge.memory.totalGiB == 1e300 / 1_073_741_824)
    }

    @Test("Redfish: CapacityBytes of 1e300 and TotalCores that overflow when added")
    func redfishHugeNumbers() async throws {
        let documents: [String: String] = [
            "/redfish/v1": #"{"Systems": {"@odata.id": "/redfish/v1/Systems"}}"#,
            "/redfish/v1/Systems": #"{"Members": [{"@odata.id": "/redfish/v1/Systems/1"}]}"#,
            "/redfish/v1/Systems/1": #"""
            {"Id": "1", "Manufacturer": 1e300, "Processors": {"@odata.id": "/redfish/v1/Systems/1/Processors"},
             "Storage": {"@odata.id": "/redfish/v1/Systems/1/Storage"},
             "MemorySummary": {"TotalSystemMemoryGiB": "inf"}}
            """#,
            "/redfish/v1/Systems/1/Processors": #"""
            {"Members": [{"Id": "CPU1", "TotalCores": 5e18, "TotalThreads": 5e18, "MaxSpeedMHz": 1e300},
                         {"Id": "CPU2", "TotalCores": 5e18, "TotalThreads": 5e18}]}
            """#,
            "/redfish/v1/Systems/1/Storage": #"{"Members": [{"Id": "1", "Drives": [{"@odata.id": "/d/1"}]}]}"#,
            "/d/1": #"{"Id": "Disk1", "CapacityBytes": 1e300}"#,
        ]
        var inventory = Inventory()
        await RedfishInventoryReader(source: StaticSource(documents: documents)).read(into: &inventory)
        #expect(inventory.system.manufacturer == "1e+300")
        #expect(inventory.cpu.sockets == 2)
        #expect(inventory.cpu.physicalCores == nil)
        #expect(inventory.memory.totalGiB == nil)
        #expect(inventory.storage.isEmpty)
    }

    @Test("catalog hardware strings: sizes and speeds of 400 digits, and drive groups printed back")
    func hardwareSpecHugeNumbers() {
        #expect(throws: HardwareSpecParser.Failure.self) {
            try HardwareSpecParser.storage("2x \(Self.nines)TB NVMe").get()
        }
        #expect(throws: HardwareSpecParser.Failure.self) {
            try HardwareSpecParser.network("1x \(Self.nines)Gbps").get()
        }
        #expect(DriveGroup(count: 1, sizeGB: 1e300, kind: .nvme).description == "1x 1e+297TB NVMe")
        #expect(NICGroup(count: 2, speedGbps: .infinity).description == "2x infGbps")
        #expect(DriveGroup.trim(2) == "2" && DriveGroup.trim(15.36) == "15.36")
    }

    @Test("a catalog type with negative sockets, a huge memory and many SATA drives makes a lab model")
    func serverModelFromBrokenCatalog() {
        let type = DeviceType(
            name: "broken.type", vendor: "supermicro",
            hardware: HardwareSpec(
                cpu: CPUSpec(model: "Intel Xeon", sockets: -1, cores: -8, frequencyGHz: .infinity),
                memoryGiB: Int.max,
                storage: [
                    DriveGroup(count: 300, sizeGB: 1e300, kind: .ssd),
                    DriveGroup(count: -2, sizeGB: .nan, kind: .nvme),
                ],
                network: [NICGroup(count: -1, speedGbps: 1e300), NICGroup(count: 2, speedGbps: .nan)]))
        let model = ServerModel(deviceType: type, index: 3)
        #expect(model.sockets == 1)
        #expect(model.drives.count == 256)
        #expect(model.ports.count == 2)
        var inventory = Inventory()
        for (file, text) in model.discoveryBundle().outputs { DiscoveryBundle.apply(file, text, into: &inventory) }
        #expect(inventory.cpu.sockets == 1)
    }

    @Test("MAAS power parameters with a number no Int holds")
    func maasHugePowerParameter() throws {
        let body = Data(#"{"power_address": "10.0.0.5", "ipmi_port": 623, "timeout": 1e300, "ratio": 0.5}"#.utf8)
        let parameters = try MAASClient.decodePowerParameters(body, method: "GET", path: "machines/x/")
        #expect(parameters["timeout"] == "1e+300")
        #expect(parameters["ipmi_port"] == "623")
        #expect(parameters["ratio"] == "0.5")
    }

    @Test("a BIOS plan wanting inf for a numeric attribute keeps it as text")
    func biosPlanInfinity() throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceTypes.values.sorted { $0.name < $1.name }.first)
        let desired = try JSONDecoder().decode(
            DesiredBIOSState.self,
            from: Data(
                #"{"device_type": "x", "preserved": {}, "settings": {"ProcCoreDisable": {"value": "inf", "source": "test"}}}"#
                    .utf8))
        let plan = BIOSPlanner.plan(
            desired: desired, type: type, catalog: catalog, bmc: "test", current: ["ProcCoreDisable": .number(0)],
            pending: [:], registry: nil)
        #expect(plan.items.first?.desired == .string("inf"))
        #expect(plan.items.first?.status == .change)
    }

    @Test("BIOS template XML that is not UTF-8 (in a comment) is refused before the XML parser")
    func xmlNotUTF8() {
        let bytes =
            Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- a ".utf8) + [0xFF]
            + Array(" b -->\n<BiosCfg></BiosCfg>\n".utf8)
        guard case .failure(let diagnostic) = BIOSTemplateXML.parse(Data(bytes), name: "t.xml", displayPath: "t.xml")
        else {
            Issue.record("a template that is not UTF-8 was accepted")
            return
        }
        #expect(diagnostic.code == "not-utf8")
        #expect(diagnostic.location.file == "t.xml")
    }

    @Test("BIOS template XML nested 100,000 deep is refused at the depth limit, quickly")
    func xmlTooDeep() {
        let xml = "<BiosCfg>" + String(repeating: "<Menu name=\"a\">", count: 100_000) + "</BiosCfg>"
        guard case .failure(let diagnostic) = BIOSTemplateXML.parse(Data(xml.utf8), name: "t.xml", displayPath: "t.xml")
        else {
            Issue.record("a template nested 100,000 deep was accepted")
            return
        }
        #expect(diagnostic.message.contains("deeper than"))
    }

    /// Documents by path, parsed as a BMC's answers are.
    struct StaticSource: RedfishDocumentSource {
        let documents: [String: String]

        func get(_ path: String) async throws -> JSONValue {
            guard let text = documents[path] else {
                throw RedfishError(kind: .invalidResponse, bmc: "test", method: "GET", path: path, message: "missing")
            }
            return try JSONValue.parse(text)
        }
    }
}

/// Catalog YAML that used to crash the loader: deep nesting (libyaml stops at 1,000 levels, so it is a syntax
/// error) and numbers YAML allows but hardware does not have (`.nan`, which equals no dictionary key).
@Suite("Catalog YAML that used to crash")
struct CatalogYAMLTrapTests {
    private func folder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-yaml-trap-\(UUID())")
        for (relative, text) in files {
            let url = folder.appendingPathComponent(relative)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return folder
    }

    @Test("a manifest nested 10,000 deep is one clear error", arguments: ["[", "{a: ", "- "])
    func deepManifest(_ opener: String) throws {
        let folder = try folder(["catalog.yaml": String(repeating: opener, count: 10_000) + "1\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let loaded = CatalogLoader.inspect(directory: folder.path)
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        #expect(errors.contains { $0.location.file.hasSuffix("catalog.yaml") })
    }

    @Test("a legacy type with cpu_frequency .nan and a storage size of .inf is an error, not a crash")
    func nanFrequency() throws {
        let unified = """
            device_configuration:
              vendors:
                supermicro:
                  display_name: Super Micro Computer Inc.
                  motherboards:
                    X12STE-F:
                      device_types:
                        s9.c1.small:
                          hardware_specs:
                            cpu_cores: 6
                            cpu_frequency: .nan
                            cpu_name: Intel Xeon E-2356G
                            network: 2x 10Gbps
                            ram_gb: 64
                            storage: 1x 1TB NVMe
                        s9.c1.large:
                          hardware_specs:
                            cpu_cores: 6
                            cpu_frequency: .nan
                            cpu_name: Intel Xeon E-2356G
                            network: 2x 10Gbps
                            ram_gb: 64
                            storage: 1x 1TB NVMe
            """
        let folder = try folder(["devices/unified_device_config.yaml": unified])
        defer { try? FileManager.default.removeItem(at: folder) }
        let loaded = CatalogLoader.inspect(directory: folder.path)
        let errors = loaded.diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(errors.contains { $0.contains("cpu frequency must be a positive number, found nan") })
    }
}

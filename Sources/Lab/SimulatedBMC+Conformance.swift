import Foundation
import Redfish

/// What makes a lab BMC a standards-conformant Redfish peer (issue #19), applied in one place to every answer rather
/// than written into each resource: every resource it serves carries `@odata.id` (its path), `@odata.type` (a
/// versioned type of the DMTF 2025 schemas, `../shared/redfish-csdl`, or the vendor's OEM type for a vendor tree),
/// `Id` (its path's last segment) and `Name`; a collection has `Members@odata.count`; every GET answer has an ETag;
/// a method a resource does not take is refused with 405 and `Allow`. The service document (`/redfish/v1/odata`) and
/// `$metadata` list the same types. Checked by DMTF's Redfish Service Validator (`RedfishServiceValidatorTests`).
extension SimulatedBMC {
    /// One kind of resource the lab serves: its path below `/redfish/v1` (`*` stands for any one segment), its type,
    /// the name it carries when the resource states none, and the methods it takes.
    struct ResourceKind: Sendable {
        /// Path segments below `/redfish/v1`; `*` matches any one segment.
        var pattern: [String]
        /// `#Namespace.vX_Y_Z.Type`; nil for what is not a Redfish resource (an action target, a task monitor).
        var type: String?
        /// The `Name` the resource gets when it has none.
        var name: String
        /// Methods besides GET and HEAD (`PATCH`, `POST`, `DELETE`); an action target takes POST only.
        var methods: [String] = []
        /// An action target or an upload URI: POST only, no GET.
        var postOnly = false

        /// Whether `parts` (path segments below `/redfish/v1`) is this kind's path.
        func matches(_ parts: [String]) -> Bool {
            parts.count == pattern.count && zip(parts, pattern).allSatisfy { $1 == "*" || $0 == $1 }
        }

        /// The methods the resource takes, as `Allow` lists them.
        var allowed: [String] { postOnly ? ["POST"] : ["GET", "HEAD"] + methods }
    }

    /// The types this lab serves, newest versions in `../shared/redfish-csdl` (DSP8010 2025.x).
    enum SchemaType {
        static let serviceRoot = "#ServiceRoot.v1_20_0.ServiceRoot"
        static let computerSystem = "#ComputerSystem.v1_27_0.ComputerSystem"
        static let processor = "#Processor.v1_22_0.Processor"
        static let memory = "#Memory.v1_23_0.Memory"
        static let ethernetInterface = "#EthernetInterface.v1_12_4.EthernetInterface"
        static let storage = "#Storage.v1_21_0.Storage"
        static let drive = "#Drive.v1_22_0.Drive"
        static let bios = "#Bios.v1_2_3.Bios"
        static let manager = "#Manager.v1_24_0.Manager"
        static let hostInterface = "#HostInterface.v1_3_3.HostInterface"
        static let accountService = "#AccountService.v1_18_1.AccountService"
        static let managerAccount = "#ManagerAccount.v1_14_1.ManagerAccount"
        static let role = "#Role.v1_3_3.Role"
        static let chassis = "#Chassis.v1_28_0.Chassis"
        static let networkAdapter = "#NetworkAdapter.v1_14_0.NetworkAdapter"
        static let networkPort = "#NetworkPort.v1_4_3.NetworkPort"
        static let port = "#Port.v1_18_0.Port"
        static let networkDeviceFunction = "#NetworkDeviceFunction.v1_11_1.NetworkDeviceFunction"
        static let sessionService = "#SessionService.v1_2_0.SessionService"
        static let session = "#Session.v1_8_0.Session"
        static let messageRegistryFile = "#MessageRegistryFile.v1_1_5.MessageRegistryFile"
        static let attributeRegistry = "#AttributeRegistry.v1_4_0.AttributeRegistry"
        static let updateService = "#UpdateService.v1_17_0.UpdateService"
        static let softwareInventory = "#SoftwareInventory.v1_13_0.SoftwareInventory"
        static let taskService = "#TaskService.v1_3_0.TaskService"
        static let task = "#Task.v1_7_4.Task"
        static let secureBoot = "#SecureBoot.v1_1_2.SecureBoot"
        static let logService = "#LogService.v1_9_0.LogService"
        static let logEntry = "#LogEntry.v1_21_0.LogEntry"
        static let sensor = "#Sensor.v1_12_0.Sensor"
        static let thermal = "#Thermal.v1_7_3.Thermal"
        static let power = "#Power.v1_7_3.Power"

        /// The (unversioned) collection type of `member`'s schema: `#ProcessorCollection.ProcessorCollection`.
        static func collection(_ name: String) -> String { "#\(name)Collection.\(name)Collection" }
    }

    /// Every kind of resource a lab BMC serves, whatever its profile (a route a profile lacks answers 404 there).
    static let resourceKinds: [ResourceKind] = {
        typealias T = SchemaType
        func kind(_ path: String, _ type: String?, _ name: String, _ methods: [String] = []) -> ResourceKind {
            ResourceKind(pattern: path.split(separator: "/").map(String.init), type: type, name: name, methods: methods)
        }
        func action(_ path: String) -> ResourceKind {
            ResourceKind(
                pattern: path.split(separator: "/").map(String.init), type: nil, name: "", postOnly: true)
        }
        let interfaces = "EthernetInterfaces"
        return [
            ResourceKind(pattern: [], type: T.serviceRoot, name: "Root Service"),
            kind("Systems", T.collection("ComputerSystem"), "Computer System Collection"),
            kind("Systems/*", T.computerSystem, "Computer System"),
            action("Systems/*/Actions/ComputerSystem.Reset"),
            kind("Systems/*/Processors", T.collection("Processor"), "Processor Collection"),
            kind("Systems/*/Processors/*", T.processor, "Processor"),
            kind("Systems/*/Memory", T.collection("Memory"), "Memory Collection"),
            kind("Systems/*/Memory/*", T.memory, "Memory"),
            kind("Systems/*/\(interfaces)", T.collection("EthernetInterface"), "Ethernet Interface Collection"),
            kind("Systems/*/\(interfaces)/*", T.ethernetInterface, "Ethernet Interface"),
            kind("Systems/*/Storage", T.collection("Storage"), "Storage Collection"),
            kind("Systems/*/Storage/*", T.storage, "Storage"),
            kind("Systems/*/Storage/*/Drives/*", T.drive, "Drive"),
            kind("Systems/*/SecureBoot", T.secureBoot, "UEFI Secure Boot", ["PATCH"]),
            kind("Systems/*/LogServices", T.collection("LogService"), "Log Service Collection"),
            kind("Systems/*/LogServices/*", T.logService, "Log Service"),
            kind("Systems/*/LogServices/*/Entries", T.collection("LogEntry"), "Log Entry Collection"),
            kind("Systems/*/LogServices/*/Entries/*", T.logEntry, "Log Entry"),
            kind("Systems/*/Bios", T.bios, "BIOS Configuration Current Settings"),
            kind("Systems/*/bios", T.bios, "BIOS Configuration Current Settings"),
            kind("Systems/*/Bios/Settings", T.bios, "BIOS Configuration Pending Settings", ["PATCH"]),
            kind("Systems/*/bios/settings", T.bios, "BIOS Configuration Pending Settings", ["PATCH"]),
            // HPE iLO's own trees (OEM schemas HPE publishes, not DMTF's).
            kind("Systems/*/SmartStorage", "#HpeSmartStorage.v2_0_0.HpeSmartStorage", "HpeSmartStorage"),
            kind(
                "Systems/*/SmartStorage/ArrayControllers",
                "#HpeSmartStorageArrayControllerCollection.HpeSmartStorageArrayControllerCollection",
                "HpeSmartStorageArrayControllers"),
            kind(
                "Systems/*/SmartStorage/ArrayControllers/*",
                "#HpeSmartStorageArrayController.v2_3_0.HpeSmartStorageArrayController",
                "HpeSmartStorageArrayController"),
            kind(
                "Systems/*/SmartStorage/ArrayControllers/*/DiskDrives",
                "#HpeSmartStorageDiskDriveCollection.HpeSmartStorageDiskDriveCollection",
                "HpeSmartStorageDiskDrives"),
            kind(
                "Systems/*/SmartStorage/ArrayControllers/*/DiskDrives/*",
                "#HpeSmartStorageDiskDrive.v2_1_0.HpeSmartStorageDiskDrive", "HpeSmartStorageDiskDrive"),
            kind(
                "Systems/*/BaseNetworkAdapters",
                "#HpeBaseNetworkAdapterCollection.HpeBaseNetworkAdapterCollection", "BaseNetworkAdapters"),
            kind(
                "Systems/*/BaseNetworkAdapters/*", "#HpeBaseNetworkAdapter.v2_0_0.HpeBaseNetworkAdapter",
                "BaseNetworkAdapter"),
            kind("Managers", T.collection("Manager"), "Manager Collection"),
            kind("Managers/*", T.manager, "Manager"),
            kind("Managers/*/\(interfaces)", T.collection("EthernetInterface"), "Ethernet Interface Collection"),
            kind("Managers/*/\(interfaces)/*", T.ethernetInterface, "Manager Ethernet Interface", ["PATCH"]),
            kind("Managers/*/LogServices", T.collection("LogService"), "Log Service Collection"),
            kind("Managers/*/LogServices/*", T.logService, "Log Service"),
            kind("Managers/*/LogServices/*/Entries", T.collection("LogEntry"), "Log Entry Collection"),
            kind("Managers/*/LogServices/*/Entries/*", T.logEntry, "Log Entry"),
            kind("Managers/*/HostInterfaces", T.collection("HostInterface"), "Host Interface Collection"),
            kind("Managers/*/HostInterfaces/*", T.hostInterface, "Host Interface", ["PATCH"]),
            // Supermicro's and Dell's own resources (OEM schemas).
            kind(
                "Managers/*/Oem/Supermicro/KCSInterface", "#KCSInterface.v1_0_0.KCSInterface", "KCS Interface",
                ["PATCH"]),
            kind("Managers/*/LicenseManager", "#LicenseManager.v1_0_0.LicenseManager", "License Manager"),
            kind("Managers/*/LicenseManager/QueryLicense", "#QueryLicense.v1_0_0.QueryLicense", "Query License"),
            kind("Managers/*/Jobs", "#DellJobCollection.DellJobCollection", "Job Queue"),
            kind("Managers/*/Jobs/*", "#DellJob.v1_5_0.DellJob", "Job"),
            kind("Chassis", T.collection("Chassis"), "Chassis Collection"),
            kind("Chassis/*", T.chassis, "Chassis"),
            kind("Chassis/*/Sensors", T.collection("Sensor"), "Sensor Collection"),
            kind("Chassis/*/Sensors/*", T.sensor, "Sensor"),
            kind("Chassis/*/Thermal", T.thermal, "Thermal"),
            kind("Chassis/*/Power", T.power, "Power"),
            kind("Chassis/*/NetworkAdapters", T.collection("NetworkAdapter"), "Network Adapter Collection"),
            kind("Chassis/*/NetworkAdapters/*", T.networkAdapter, "Network Adapter"),
            kind("Chassis/*/NetworkAdapters/*/NetworkPorts", T.collection("NetworkPort"), "Network Port Collection"),
            kind("Chassis/*/NetworkAdapters/*/NetworkPorts/*", T.networkPort, "Network Port"),
            kind("Chassis/*/NetworkAdapters/*/Ports", T.collection("Port"), "Port Collection"),
            kind("Chassis/*/NetworkAdapters/*/Ports/*", T.port, "Port"),
            kind(
                "Chassis/*/NetworkAdapters/*/NetworkDeviceFunctions", T.collection("NetworkDeviceFunction"),
                "Network Device Function Collection"),
            kind(
                "Chassis/*/NetworkAdapters/*/NetworkDeviceFunctions/*", T.networkDeviceFunction,
                "Network Device Function"),
            kind("AccountService", T.accountService, "Account Service"),
            kind("AccountService/Accounts", T.collection("ManagerAccount"), "Accounts Collection", ["POST"]),
            kind("AccountService/Accounts/*", T.managerAccount, "User Account", ["PATCH", "DELETE"]),
            kind("AccountService/Roles", T.collection("Role"), "Roles Collection"),
            kind("AccountService/Roles/*", T.role, "User Role"),
            kind("SessionService", T.sessionService, "Session Service"),
            kind("SessionService/Sessions", T.collection("Session"), "Session Collection", ["POST"]),
            kind("SessionService/Sessions/*", T.session, "User Session", ["DELETE"]),
            kind("Registries", T.collection("MessageRegistryFile"), "Registry File Collection"),
            kind("Registries/*", T.messageRegistryFile, "Registry File"),
            kind("Registries/*/*", T.attributeRegistry, "BIOS Attribute Registry"),
            kind("UpdateService", T.updateService, "Update Service"),
            action("UpdateService/Actions/UpdateService.SimpleUpdate"),
            action("UpdateService/upload"),
            kind("UpdateService/FirmwareInventory", T.collection("SoftwareInventory"), "Firmware Inventory"),
            kind("UpdateService/FirmwareInventory/*", T.softwareInventory, "Firmware"),
            kind("TaskService", T.taskService, "Task Service"),
            kind("TaskService/Tasks", T.collection("Task"), "Task Collection"),
            kind("TaskService/Tasks/*", T.task, "Task"),
            kind("TaskService/TaskMonitors/*", nil, "Task Monitor"),
            kind("odata", nil, "OData Service Document"),
            kind("$metadata", nil, "OData Metadata"),
        ]
    }()

    /// The kind of resource at `parts` (segments below `/redfish/v1`), if the lab serves such a resource.
    static func resourceKind(_ parts: [String]) -> ResourceKind? {
        resourceKinds.first { $0.matches(parts) }
    }

    /// `405 Method Not Allowed` with `Allow` for a request whose path is a resource the lab serves but whose method
    /// that resource does not take; nil otherwise.
    static func methodNotAllowed(_ method: String, parts: [String], path: String) -> LabResponse? {
        guard let kind = resourceKind(parts), !kind.allowed.contains(method) else { return nil }
        var response = LabResponse.error(
            405, "Base.1.8.ActionNotSupported",
            "\(path) does not take \(method); it takes \(kind.allowed.joined(separator: ", ")).")
        response.headers["Allow"] = kind.allowed.joined(separator: ", ")
        return response
    }

    /// `response` to a GET of `path` made conformant: a resource of a known kind gets `@odata.id`, `@odata.type`,
    /// `Id` and `Name` where it states none, a collection its `Members@odata.count`, and every 200 answer with a JSON
    /// body an ETag (weak, of its content) when it has none.
    /// `generation` (the resource's write count) goes into its ETag, so that every write rotates it.
    static func conformed(_ response: LabResponse, path: String, generation: Int = 0) -> LabResponse {
        guard response.status == 200, case .object(var body)? = response.body else { return response }
        var response = response
        var canonical = path
        while canonical.count > 1 && canonical.hasSuffix("/") { canonical.removeLast() }
        let segments = canonical.split(separator: "/").map(String.init)
        if segments.count >= 2, segments[0] == "redfish", segments[1] == "v1",
            let kind = resourceKind(Array(segments.dropFirst(2))), let type = kind.type
        {
            if body["@odata.id"] == nil { body["@odata.id"] = .string(canonical) }
            if body["@odata.type"] == nil { body["@odata.type"] = .string(type) }
            // A collection has no Id (ResourceCollection); a resource's is its URI's last segment.
            if body["Id"] == nil, !type.contains("Collection."), let last = segments.last {
                body["Id"] = .string(segments.count == 2 ? "RootService" : last)
            }
            if body["Name"] == nil { body["Name"] = .string(kind.name) }
            if case .array(let members)? = body["Members"] {
                body["Members@odata.count"] = .number(Double(members.count))
            }
            response.body = .object(body)
        }
        if response.headers["ETag"] == nil, let body = response.body {
            response.headers["ETag"] = etag(of: generation == 0 ? body : .array([body, .number(Double(generation))]))
        }
        return response
    }

    /// A weak ETag of a JSON document: an FNV-1a digest of its content, the same for equal documents whatever their
    /// members' order (`contentDigest(_:)`), computed without encoding the document.
    static func etag(of body: JSONValue) -> String {
        "W/\"\(String(contentDigest(body), radix: 16, uppercase: false))\""
    }

    /// FNV-1a over a document's structure: each value's kind and content; an object's members hashed one by one
    /// (name, then value) and summed, so that their order does not count and no sort is needed.
    static func contentDigest(_ value: JSONValue) -> UInt64 {
        var hash = FNV()
        switch value {
        case .null: hash.add(0)
        case .bool(let flag): hash.add(flag ? 1 : 2)
        case .number(let number):
            hash.add(3)
            hash.add(word: number.bitPattern)
        case .string(let text):
            hash.add(4)
            hash.add(text: text)
        case .array(let items):
            hash.add(5)
            for item in items { hash.add(word: contentDigest(item)) }
        case .object(let members):
            hash.add(6)
            var sum: UInt64 = 0
            for (name, member) in members {
                var entry = FNV()
                entry.add(text: name)
                entry.add(word: contentDigest(member))
                sum &+= entry.value
            }
            hash.add(word: sum)
        }
        return hash.value
    }

    /// 64-bit FNV-1a.
    struct FNV {
        private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

        mutating func add(_ byte: UInt8) {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01B3
        }

        mutating func add(word: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) { add(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }

        mutating func add(text: String) {
            for byte in text.utf8 { add(byte) }
            add(0xFF)
        }
    }

    // MARK: The OData documents

    /// `/redfish`: the versions of the protocol this service speaks.
    static var versions: JSONValue { .object(["v1": .string(root + "/")]) }

    /// `/redfish/v1/odata`: the OData service document, one entry per top-level link of `serviceRoot`.
    static func serviceDocument(of serviceRoot: JSONValue) -> JSONValue {
        var entries: [JSONValue] = [
            .object(["name": .string("Service"), "kind": .string("Singleton"), "url": .string(root + "/")])
        ]
        for (name, value) in (serviceRoot.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let url = value["@odata.id"].string, name != "Links" else { continue }
            entries.append(.object(["name": .string(name), "kind": .string("Singleton"), "url": .string(url)]))
        }
        return .object(["@odata.context": .string(root + "/$metadata"), "value": .array(entries)])
    }

    /// `/redfish/v1/$metadata`: the CSDL document referencing the DMTF schema of every type the lab serves.
    static var metadataDocument: String {
        var namespaces: [String: Set<String>] = [:]
        for type in resourceKinds.compactMap(\.type) + ["#Resource.v1_23_0.Resource"] {
            let parts = type.dropFirst().split(separator: ".").map(String.init)
            // OEM types have no DMTF schema to reference.
            guard let schema = parts.first, dmtfSchemas.contains(schema) else { continue }
            namespaces[schema, default: []].insert(schema)
            if parts.count == 3 { namespaces[schema, default: []].insert("\(parts[0]).\(parts[1])") }
        }
        namespaces["RedfishExtensions", default: []].insert("RedfishExtensions.v1_0_0")
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">

            """
        for schema in namespaces.keys.sorted() {
            xml += "  <edmx:Reference Uri=\"http://redfish.dmtf.org/schemas/v1/\(schema)_v1.xml\">\n"
            for namespace in namespaces[schema]!.sorted() {
                let alias = namespace == "RedfishExtensions.v1_0_0" ? " Alias=\"Redfish\"" : ""
                xml += "    <edmx:Include Namespace=\"\(namespace)\"\(alias)/>\n"
            }
            xml += "  </edmx:Reference>\n"
        }
        xml += """
              <edmx:DataServices>
                <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="Service">
                  <EntityContainer Name="Service" Extends="\(SchemaType.serviceRoot.dropFirst().replacingOccurrences(
                of: ".ServiceRoot", with: ".ServiceContainer"))"/>
                </Schema>
              </edmx:DataServices>
            </edmx:Edmx>

            """
        return xml
    }

    /// The DMTF schemas among the lab's types (the others are vendors' OEM schemas).
    static let dmtfSchemas: Set<String> = [
        "ServiceRoot", "ComputerSystemCollection", "ComputerSystem", "ProcessorCollection", "Processor",
        "MemoryCollection", "Memory", "EthernetInterfaceCollection", "EthernetInterface", "StorageCollection",
        "Storage", "Drive", "Bios", "ManagerCollection", "Manager", "HostInterfaceCollection", "HostInterface",
        "AccountService", "ManagerAccountCollection", "ManagerAccount", "ChassisCollection", "Chassis",
        "NetworkAdapterCollection", "NetworkAdapter", "NetworkPortCollection", "NetworkPort", "PortCollection", "Port",
        "NetworkDeviceFunctionCollection", "NetworkDeviceFunction", "SessionService", "SessionCollection", "Session",
        "MessageRegistryFileCollection", "MessageRegistryFile", "AttributeRegistry", "UpdateService",
        "SoftwareInventoryCollection", "SoftwareInventory", "TaskService", "TaskCollection", "Task", "Resource",
        "SecureBoot", "LogServiceCollection", "LogService", "LogEntryCollection", "LogEntry", "SensorCollection",
        "Sensor", "Thermal", "Power",
    ]
}

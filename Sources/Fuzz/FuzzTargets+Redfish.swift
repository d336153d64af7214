import BIOS
import Catalog
import Foundation
import Inventory
import Redfish

extension FuzzTargets {
    /// Redfish bodies: the JSON reader itself, discovery from a document source, and the BIOS plan.
    static func redfishTargets(_ seeds: FuzzSeeds, catalog: Catalog) async throws(FuzzError) -> [FuzzTarget] {
        let tree = try RedfishTree(folder: seeds.redfishMockup)
        let classifier = Classifier(catalog: catalog)
        let walked = await tree.walk().filter { tree.documents[$0] != nil }
        let bios = try biosPlanTarget(tree, catalog: catalog)
        let redfishTokens = [
            "\"@odata.id\": \"/redfish/v1/Systems/437XR1138R2\"", "\"Members\": [{\"@odata.id\": \"",
            "\"Status\": {\"State\": \"Absent\"}",
            "\"ProcessorSummary\": {\"Count\": ", "\"TotalSystemMemoryGiB\": ", "\"MaxSpeedMHz\": ", "\"SpeedMbps\": ",
            "\"VLANId\": ", "\"PrefixLength\": ", "\"SubnetMask\": \"255.255.255.0\"", "\"Id\": \"x\"",
        ]
        return [
            FuzzTarget(
                name: "redfish-json", summary: "any Redfish body → JSONValue.parse, accessors, encoding", format: .json,
                seeds: tree.documents.sorted { $0.key < $1.key }.map(\.value), tokens: redfishTokens
            ) { bytes in
                guard let value = try? JSONValue.parse(Data(bytes)) else { return }
                touch(value, depth: 0)
                _ = try? JSONEncoder().encode(value)
            },
            FuzzTarget(
                name: "redfish-inventory",
                summary: "one Redfish document (`<path>\\n<body>`) replaced in the mockup → RedfishInventoryReader",
                format: .json, seeds: walked.map { Array(($0 + "\n").utf8) + (tree.documents[$0] ?? []) },
                tokens: redfishTokens
            ) { bytes in
                let (key, body) = tree.split(bytes, among: walked)
                var inventory = Inventory()
                await RedfishInventoryReader(source: tree.source(replacing: key, with: body)).read(into: &inventory)
                consume(inventory, classifier)
            },
            bios,
        ]
    }

    /// Reads every accessor of every value (what the readers call on outside JSON).
    static func touch(_ value: JSONValue, depth: Int) {
        _ = (value.string, value.double, value.int, value.bool, value.isNull)
        guard depth < 64 else { return }
        for element in value.array { touch(element, depth: depth + 1) }
        for (_, member) in value.object ?? [:] { touch(member, depth: depth + 1) }
    }

    /// Registry, current and pending attributes (`registry|current|pending\n<body>`) → `RegistryAttribute.parse`
    /// and `BIOSPlanner.plan`, with the desired state both from the catalog and from the mockup's attributes.
    static func biosPlanTarget(_ tree: RedfishTree, catalog: Catalog) throws(FuzzError) -> FuzzTarget {
        let system = tree.documents.keys.sorted().first { $0.hasPrefix("Systems/") && $0.hasSuffix("/Bios") }
        guard let system, let current = tree.documents[system], let pending = tree.documents[system + "/Settings"]
        else {
            throw FuzzError("the Redfish mockup has no Systems/*/Bios and Bios/Settings documents")
        }
        let registry = Array(biosRegistrySeed.utf8)
        guard
            let type = catalog.deviceTypes.values.sorted(by: { $0.name < $1.name }).first(where: {
                (try? DesiredBIOSState(type: $0, catalog: catalog))?.settings.isEmpty == false
            }), let typeDesired = try? DesiredBIOSState(type: type, catalog: catalog)
        else {
            throw FuzzError("no device type of the built-in catalog has BIOS settings")
        }
        let attributes = (try? JSONValue.parse(Data(current)))?["Attributes"].object ?? [:]
        var settings: [String: JSONValue] = [:]
        for (name, value) in attributes {
            let wanted: String
            switch value {
            case .number(let number): wanted = number == 0 ? "3" : "0"
            case .string(let text): wanted = text == "Enabled" ? "Disabled" : "Enabled"
            default: wanted = "true"
            }
            settings[name] = .object(["value": .string(wanted), "source": .string("fuzz")])
        }
        let desiredJSON = JSONValue.object([
            "device_type": .string(type.name), "settings": .object(settings), "preserved": .object([:]),
        ])
        guard let data = try? JSONEncoder().encode(desiredJSON),
            let mockupDesired = try? JSONDecoder().decode(DesiredBIOSState.self, from: data)
        else {
            throw FuzzError("cannot build a desired BIOS state from the mockup's attributes")
        }
        let roles = ["registry", "current", "pending"]
        let base = [registry, current, pending]
        return FuzzTarget(
            name: "redfish-bios-plan",
            summary: "AttributeRegistry, Bios and Bios/Settings bodies → RegistryAttribute.parse, BIOSPlanner.plan",
            format: .json, seeds: zip(roles, base).map { Array(($0 + "\n").utf8) + $1 },
            tokens: [
                "\"LowerBound\": ", "\"UpperBound\": ", "\"Type\": \"Integer\"", "\"Type\": \"Enumeration\"",
                "\"ReadOnly\": true", "\"ProcCoreDisable\": ", "\"AttributeName\": \"ProcCoreDisable\"",
            ]
        ) { bytes in
            let (role, body) = RedfishTree.splitHeader(bytes, among: roles)
            var documents = base.map { (try? JSONValue.parse(Data($0))) ?? .null }
            documents[roles.firstIndex(of: role) ?? 0] = (try? JSONValue.parse(Data(body))) ?? .null
            let registry = RegistryAttribute.parse(documents[0])
            let current = documents[1]["Attributes"].object ?? [:]
            let pending = documents[2]["Attributes"].object ?? [:]
            for desired in [mockupDesired, typeDesired] {
                let plan = BIOSPlanner.plan(
                    desired: desired, type: type, catalog: catalog, bmc: "fuzz", current: current, pending: pending,
                    registry: registry.isEmpty ? nil : registry)
                _ = (plan.redfishChanges, plan.vendorToolChanges, plan.isEmpty)
                _ = try? JSONEncoder().encode(plan)
            }
        }
    }

    /// A BIOS AttributeRegistry for the mockup's attributes (the mockup itself ships none).
    static let biosRegistrySeed = """
        {"@odata.type": "#AttributeRegistry.v1_3_0.AttributeRegistry", "Id": "BiosAttributeRegistryP89.v1_0_0",
         "RegistryEntries": {"Attributes": [
          {"AttributeName": "BootMode", "Type": "Enumeration", "ReadOnly": false,
           "Value": [{"ValueName": "Bios"}, {"ValueName": "Uefi"}]},
          {"AttributeName": "ProcCoreDisable", "Type": "Integer", "LowerBound": 0, "UpperBound": 32, "ScalarIncrement": 1},
          {"AttributeName": "ProcTurboMode", "Type": "Enumeration", "Value": [{"ValueName": "Enabled"}, {"ValueName": "Disabled"}]},
          {"AttributeName": "ProcHyperthreading", "Type": "Enumeration", "Value": [{"ValueName": "Enabled"}, {"ValueName": "Disabled"}]},
          {"AttributeName": "AdminPhone", "Type": "String", "ReadOnly": true, "MaxLength": 32},
          {"AttributeName": "UsbControl", "Type": "Boolean"}
         ]}}
        """
}

/// The Redfish mockup tree in memory: documents by path below `/redfish/v1` (`""` is the service root).
struct RedfishTree: Sendable {
    let documents: [String: [UInt8]]

    init(folder: URL) throws(FuzzError) {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else {
            throw FuzzError(
                "the Redfish mockup \(folder.path) is missing (it is read from ../shared next to the repository)")
        }
        var documents: [String: [UInt8]] = [:]
        for case let path as String in enumerator where path == "index.json" || path.hasSuffix("/index.json") {
            if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) {
                documents[String(path.dropLast("index.json".count)).trimmingCharacters(in: ["/"])] = Array(data)
            }
        }
        guard documents[""] != nil else { throw FuzzError("the Redfish mockup \(folder.path) has no index.json") }
        self.documents = documents
    }

    /// The document key of a request path, as `RedfishMockupSource` maps paths to files.
    static func key(_ path: String) -> String {
        var relative = path.split(separator: "?").first.map(String.init) ?? path
        if let range = relative.range(of: "redfish/v1") { relative = String(relative[range.upperBound...]) }
        return relative.split(separator: "/").filter { !$0.isEmpty && $0 != ".." }.joined(separator: "/")
    }

    /// A source over the tree with the document at `key` replaced by `body`.
    func source(replacing key: String, with body: [UInt8]) -> Source {
        var documents = documents
        documents[key] = body
        return Source(documents: documents, recorder: nil)
    }

    /// The keys an unchanged discovery reads, in order (the documents worth mutating).
    func walk() async -> [String] {
        let recorder = Recorder()
        var inventory = Inventory()
        await RedfishInventoryReader(source: Source(documents: documents, recorder: recorder)).read(into: &inventory)
        return recorder.keys
    }

    /// `<key>\n<body>`: the key (a damaged one picks a document by its bytes) and the body.
    func split(_ bytes: [UInt8], among keys: [String]) -> (String, [UInt8]) {
        Self.splitHeader(bytes, among: keys)
    }

    /// Splits `<name>\n<body>`; an unknown name picks one of `names` by a hash of its bytes.
    static func splitHeader(_ bytes: [UInt8], among names: [String]) -> (String, [UInt8]) {
        let newline = bytes.firstIndex(of: 0x0A) ?? bytes.count
        let header = String(decoding: bytes[..<newline], as: UTF8.self)
        let body = newline < bytes.count ? Array(bytes[(newline + 1)...]) : []
        if names.contains(header) { return (header, body) }
        let index = Int(FuzzRandom.fnv1a(header) % UInt64(max(1, names.count)))
        return (names.isEmpty ? "" : names[index], body)
    }

    /// Answers GETs from memory, parsing each body as the client does.
    struct Source: RedfishDocumentSource {
        let documents: [String: [UInt8]]
        let recorder: Recorder?

        func get(_ path: String) async throws -> JSONValue {
            let key = RedfishTree.key(path)
            recorder?.record(key)
            guard let body = documents[key] else {
                throw RedfishError(
                    kind: .invalidResponse, bmc: "fuzz", method: "GET", path: path, message: "not in the tree")
            }
            return try JSONValue.parse(Data(body))
        }
    }

    /// Collects the keys read (first time each).
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [String] = []

        var keys: [String] { lock.withLock { seen } }

        func record(_ key: String) {
            lock.withLock { if !seen.contains(key) { seen.append(key) } }
        }
    }
}

import Foundation
import Redfish

/// Reads what boarding validation judges (`BoardingFacts`) from a Redfish service: the system's Secure Boot, the
/// chassis' sensors (`BoardingReader+Sensors.swift`), the system's and managers' log services
/// (`BoardingReader+Logs.swift`), the system's network interfaces and its drives (`BoardingReader+Drives.swift`).
///
/// Its habits are `RedfishInventoryReader`'s: links are followed from the service root, no path is assumed;
/// collections are read with `$expand` only when the service root says the service expands
/// (`RedfishClient.expands(_:)`), and read plainly when an expanded read fails; a resource that cannot be read is
/// recorded in `BoardingFacts.unread` as `path: why`, and the walk goes on. It is separate from inventory discovery,
/// which never reads sensors or logs.
public struct BoardingReader {
    /// Where documents come from (a live client's `remembering` view, or a saved tree).
    public let source: any RedfishDocumentSource
    /// Which system to read when the BMC has several (its `Id` or the end of its path); nil for the first.
    public let systemID: String?
    /// How the service is walked (expansion, members, drives), shared with `RedfishInventoryReader`.
    let walk: RedfishWalk

    /// Creates a reader.
    public init(source: any RedfishDocumentSource, systemID: String? = nil) {
        self.source = source
        self.systemID = systemID
        walk = RedfishWalk(source: source)
    }

    /// Reads the facts. Log entries created before `since` (when given) are left out; entries without a parseable
    /// date are kept.
    public func read(since: Date? = nil) async -> BoardingFacts {
        var facts = BoardingFacts()
        guard let root = await fetch(source.serviceRootPath, &facts) else { return facts }
        walk.start(root: root)
        let system = await readSystem(root, &facts)
        if let system {
            facts.secureBoot = await readSecureBoot(system, &facts)
            facts.links = await readLinks(system, &facts)
            facts.drives = await readDrives(system, &facts)
        }
        await readSensors(root: root, system: system, &facts)
        await readLogs(root: root, system: system, since: since, &facts)
        return facts
    }

    /// The chosen system's document, or nil (recorded in `unread`) when there is none to read.
    private func readSystem(_ root: JSONValue, _ facts: inout BoardingFacts) async -> JSONValue? {
        let rootPath = source.serviceRootPath
        guard let systems = root["Systems"]["@odata.id"].string else {
            facts.unread.append("\(rootPath): the service root has no Systems link")
            return nil
        }
        guard let collection = await collection(systems, &facts) else { return nil }
        var members = collection["Members"].array
        if let systemID {
            members = members.filter { member in
                let path = member["@odata.id"].string ?? ""
                return member["Id"].string == systemID || path == systemID || path.hasSuffix("/" + systemID)
                    || path.hasSuffix("/" + systemID + "/")
            }
        }
        guard let first = members.first else {
            let what = systemID.map { "no system `\($0)`" } ?? "the Systems collection is empty"
            facts.unread.append("\(systems): \(what)")
            return nil
        }
        // Expanded: the collection carries the system itself.
        if first["Id"].string != nil { return first }
        guard let path = first["@odata.id"].string else {
            facts.unread.append("\(systems): a member without @odata.id")
            return nil
        }
        return await fetch(path, &facts)
    }

    /// The system's `SecureBoot` resource, when it links one.
    private func readSecureBoot(_ system: JSONValue, _ facts: inout BoardingFacts) async -> BoardingFacts.SecureBoot? {
        guard let path = system["SecureBoot"]["@odata.id"].string else { return nil }
        // Expanded with the system (iDRAC expands a singleton's navigation properties), else read.
        var document: JSONValue? = system["SecureBoot"]
        if system["SecureBoot"]["SecureBootEnable"] == .null { document = await fetch(path, &facts) }
        guard let secureBoot = document else { return nil }
        return BoardingFacts.SecureBoot(
            enabled: secureBoot["SecureBootEnable"].bool, currentBoot: secureBoot["SecureBootCurrentBoot"].string,
            mode: secureBoot["SecureBootMode"].string)
    }

    /// The system's EthernetInterfaces; on iLO, whose EthernetInterfaces list no host port without its agent in the
    /// host's OS, the ports of its BaseNetworkAdapters (`BoardingReader+Drives.swift`).
    private func readLinks(_ system: JSONValue, _ facts: inout BoardingFacts) async -> [BoardingFacts.Link] {
        let interfaces = await members(of: system["EthernetInterfaces"]["@odata.id"].string, &facts)
        let links = interfaces.filter(Self.isHostPort).map { interface in
            BoardingFacts.Link(
                name: interface["Id"].string ?? interface["@odata.id"].string ?? "interface",
                mac: interface["MACAddress"].string ?? interface["PermanentMACAddress"].string,
                linkUp: RedfishInventoryReader.linkUp(interface["LinkStatus"].string),
                speedMbps: interface["SpeedMbps"].int, state: interface["Status"]["State"].string)
        }
        if links.isEmpty { return await readBaseNetworkAdapters(system, &facts) }
        return links
    }

    /// Whether an EthernetInterface is one of the host's ports, not its link to its own BMC (XCC's `ToManager`, an
    /// interface linking a HostInterface) or a virtual one (a VLAN the BMC types `Virtual`): roles as
    /// `Normalisation.interfaceRole(_:)` decides them for discovery.
    static func isHostPort(_ interface: JSONValue) -> Bool {
        if interface["Links"]["HostInterface"]["@odata.id"].string != nil
            || interface["EthernetInterfaceType"].string == "Virtual"
        {
            return false
        }
        var nic = NetworkInterface(name: interface["Id"].string ?? "")
        nic.label = interface["Description"].string ?? interface["Name"].string
        nic.ipv4 = interface["IPv4Addresses"].array.compactMap { $0["Address"].string }
        return Normalisation.interfaceRole(nic) == .data
    }

    // MARK: Reading

    /// The document at `path`; nil, and `path: why` in `unread`, when it cannot be read.
    func fetch(_ path: String, _ facts: inout BoardingFacts) async -> JSONValue? {
        var failures: [RedfishWalk.Failure] = []
        defer { record(failures, &facts) }
        return await walk.fetch(path, &failures)
    }

    /// The document at `path` expanded one level when the service can (`RedfishWalk.collection(_:_:)`).
    func collection(_ path: String, _ facts: inout BoardingFacts) async -> JSONValue? {
        var failures: [RedfishWalk.Failure] = []
        defer { record(failures, &facts) }
        return await walk.collection(path, &failures)
    }

    /// The members of the collection at `path` (`RedfishWalk.members(of:_:)`); one that cannot be read is recorded
    /// in `unread`.
    func members(of path: String?, _ facts: inout BoardingFacts) async -> [JSONValue] {
        var failures: [RedfishWalk.Failure] = []
        defer { record(failures, &facts) }
        return await walk.members(of: path, &failures)
    }

    /// Each failure as `path: why` in `unread` (a Redfish error names the path already: only what went wrong).
    func record(_ failures: [RedfishWalk.Failure], _ facts: inout BoardingFacts) {
        for failure in failures {
            let why =
                (failure.error as? RedfishError).map { error in
                    [error.status.map { "HTTP \($0)" }, error.message].compactMap(\.self).joined(separator: ": ")
                } ?? "\(failure.error)"
            facts.unread.append("\(failure.path): \(why)")
        }
    }

    /// The last segment of a resource path (`/redfish/v1/Systems/1/LogServices/Sel` → `Sel`).
    static func lastSegment(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

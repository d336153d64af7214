import Redfish

/// How the Redfish readers of this module (`RedfishInventoryReader`, `BoardingReader`) read a service: links followed
/// from the service root, collections read with `$expand` only while the service root says the service expands
/// (`RedfishClient.expands(_:)`) and no expanded read has failed, members inline when a collection carries them,
/// else each read through its link. A document that cannot be read is added to the caller's `failures` and the walk
/// goes on; each reader records failures its own way (an inventory problem naming a section, a boarding fact).
struct RedfishWalk {
    /// A document that could not be read, and why.
    struct Failure {
        /// The path asked for.
        var path: String
        /// What the source threw.
        var error: any Error
    }

    /// Where documents come from (a live client or a saved tree).
    let source: any RedfishDocumentSource
    private let expansion = Expansion()

    /// Whether `$expand` is worth asking for; a reference, so the readers (values) can turn it off as they walk.
    private final class Expansion {
        var supported = false
    }

    /// A walk over `source`; expansion is off until `start(root:)` reads the service root.
    init(source: any RedfishDocumentSource) {
        self.source = source
    }

    /// Reads what the service root says about `$expand`.
    func start(root: JSONValue) {
        expansion.supported = RedfishClient.expands(root)
    }

    /// The document at `path`; nil, and a failure, when it cannot be read.
    func fetch(_ path: String, _ failures: inout [Failure]) async -> JSONValue? {
        do {
            return try await source.get(path)
        } catch {
            failures.append(Failure(path: path, error: error))
            return nil
        }
    }

    /// The document at `path` with its subordinate resources expanded one level when the service says it can (a
    /// collection's members; a singleton's navigation properties, as iDRAC expands any resource), else (or when the
    /// expanded read fails: some services answer `$expand` with 404 or 501 although they advertise it) read plainly.
    /// A live client remembers what an expanded answer carries, so following its links costs no request.
    func collection(_ path: String, _ failures: inout [Failure]) async -> JSONValue? {
        if expansion.supported {
            let query = (path.contains("?") ? "&" : "?") + "$expand=.($levels=1)"
            if let expanded = try? await source.get(path + query) { return expanded }
            // Not expanded after all: stop asking, and read this document and the next ones plainly.
            expansion.supported = false
        }
        return await fetch(path, &failures)
    }

    /// The members of the collection at `path`: inline when the collection carries them, else each read through its
    /// link (one that cannot be read is a failure).
    func members(of path: String?, _ failures: inout [Failure]) async -> [JSONValue] {
        guard let path, let collection = await collection(path, &failures) else { return [] }
        var result: [JSONValue] = []
        for member in collection["Members"].array {
            if member["Id"].string != nil {
                result.append(member)
            } else if let link = member["@odata.id"].string, let document = await fetch(link, &failures) {
                result.append(document)
            }
        }
        return result
    }

    /// The drives of the storage collection at `path` (a system's `Storage`), each with the link it was found by:
    /// every controller's `Drives`, inline when the controller carries them; with several drives by link, the
    /// controller read expanded carries them in one answer (a service that expands collections may still refuse a
    /// singleton's expansion: then the drives are read one by one, and collections are still expanded).
    func drives(ofStorage path: String?, _ failures: inout [Failure]) async -> [(link: String, drive: JSONValue)] {
        var drives: [(link: String, drive: JSONValue)] = []
        for controller in await members(of: path, &failures) {
            var entries = controller["Drives"].array
            if entries.count > 1, expansion.supported, entries.contains(where: { $0["Id"].string == nil }),
                let path = controller["@odata.id"].string,
                let expanded = try? await source.get(path + "?$expand=.($levels=1)")["Drives"].array,
                expanded.count == entries.count
            {
                entries = expanded
            }
            for entry in entries {
                guard let link = entry["@odata.id"].string else { continue }
                if entry["Id"].string != nil {
                    drives.append((link, entry))
                } else if let drive = await fetch(link, &failures) {
                    drives.append((link, drive))
                }
            }
        }
        return drives
    }
}

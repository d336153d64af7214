import Foundation
import Redfish

/// Reads an inventory from a live BMC and, when asked, saves every resource it read into a bundle's
/// `redfish/` tree (DMTF mockup layout), so the same inventory can be rebuilt offline.
public struct RedfishDiscovery: Sendable {
    /// The BMC.
    public let client: RedfishClient

    /// Creates a discovery over `client`.
    public init(client: RedfishClient) {
        self.client = client
    }

    /// Walks the service; with `saveTo`, writes each resource read under it.
    public func inventory(system: String? = nil, saveTo folder: URL? = nil) async -> Inventory {
        var inventory = Inventory()
        let source = RecordingSource(upstream: client, folder: folder)
        await RedfishInventoryReader(source: source, systemID: system).read(into: &inventory)
        // Remember which system was read, so the saved tree rebuilds the same inventory.
        if let folder, let path = inventory.sources["redfish.system"] {
            try? Data(path.utf8).write(to: folder.appendingPathComponent(DiscoveryBundle.redfishSystemFile))
        }
        return inventory
    }
}

/// Passes GETs through and writes each answer to `<folder>/<path>/index.json`.
struct RecordingSource: RedfishDocumentSource {
    let upstream: any RedfishDocumentSource
    let folder: URL?

    var serviceRootPath: String { upstream.serviceRootPath }

    func get(_ path: String) async throws -> JSONValue {
        let document = try await upstream.get(path)
        if let folder {
            let file = RedfishMockupSource.file(for: path, under: folder)
            try? FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try? encoder.encode(document).write(to: file, options: .atomic)
        }
        return document
    }
}

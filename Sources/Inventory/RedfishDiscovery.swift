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
        await Self.inventory(from: client, system: system, saveTo: folder)
    }

    /// Walks `source`; with `saveTo`, writes each answer (and each failed read) under it.
    static func inventory(from source: any RedfishDocumentSource, system: String?, saveTo folder: URL?) async
        -> Inventory
    {
        var inventory = Inventory()
        let recording = RecordingSource(upstream: source, folder: folder)
        await RedfishInventoryReader(source: recording, systemID: system).read(into: &inventory)
        // Remember which system was read, so the saved tree rebuilds the same inventory.
        if let folder, let path = inventory.sources["redfish.system"] {
            try? Data(path.utf8).write(to: folder.appendingPathComponent(DiscoveryBundle.redfishSystemFile))
        }
        return Normalisation.normalised(inventory)
    }
}

/// Passes GETs through and writes each answer to `<folder>/<path>/index.json`; a read that fails leaves a note of
/// its error there instead (`RecordedFailure`), so the saved tree rebuilds the same problems as the live walk.
struct RecordingSource: RedfishDocumentSource {
    let upstream: any RedfishDocumentSource
    let folder: URL?

    var serviceRootPath: String { upstream.serviceRootPath }

    func get(_ path: String) async throws -> JSONValue {
        do {
            let document = try await upstream.get(path)
            save(document, for: path)
            return document
        } catch {
            if let folder {
                // A failure never replaces an answer already saved for the same file (an expanded collection that
                // failed, then read plainly, keeps the plain answer).
                let file = RedfishMockupSource.file(for: path, under: folder)
                let existing = FileManager.default.contents(atPath: file.path).flatMap { try? JSONValue.parse($0) }
                if existing == nil || existing.flatMap(RecordedFailure.init) != nil {
                    save(RecordedFailure.note(for: error), for: path)
                }
            }
            throw error
        }
    }

    private func save(_ document: JSONValue, for path: String) {
        guard let folder else { return }
        let file = RedfishMockupSource.file(for: path, under: folder)
        try? FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try? encoder.encode(document).write(to: file, options: .atomic)
    }
}

import Catalog
import Foundation
import Inventory

/// Every fuzz target, with its seeds.
enum FuzzTargets {
    /// The repository this file was compiled from (the fallback when the current directory is not inside it).
    static let sourceRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// All targets, in report order; seeds are read from `root` (the repository) and `root/../shared`.
    static func make(root: URL) async throws(FuzzError) -> [FuzzTarget] {
        let seeds = FuzzSeeds(root: root)
        let catalog = try shippedCatalog()
        var targets = try inventoryTargets(seeds, catalog: catalog)
        targets += ipmiTargets()
        targets += try await redfishTargets(seeds, catalog: catalog)
        targets += maasTargets()
        targets += try catalogTargets(seeds)
        return targets
    }

    /// The catalog built into HWAutomation (classification and BIOS plans run against it).
    static func shippedCatalog() throws(FuzzError) -> Catalog {
        do {
            return try CatalogLoader.load(directory: nil).catalog
        } catch {
            throw FuzzError("the built-in catalog does not load: \(error)")
        }
    }
}

/// Reads seed files from the repository.
struct FuzzSeeds {
    let root: URL

    /// The Redfish mockup tree read for the Redfish seeds (outside the repository, never copied into it).
    var redfishMockup: URL {
        root.deletingLastPathComponent().appendingPathComponent("shared/redfish-mockups/public-rackmount1")
    }

    /// The bytes of `relative` under the repository.
    func file(_ relative: String) throws(FuzzError) -> [UInt8] {
        let path = root.appendingPathComponent(relative).path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FuzzError("seed file \(path) is missing (run from the repository, or pass --root)")
        }
        return Array(data)
    }

    /// The text of `relative` under the repository.
    func text(_ relative: String) throws(FuzzError) -> String {
        String(decoding: try file(relative), as: UTF8.self)
    }

    /// Every file under `relative` whose name ends with `suffix`, sorted by path (for determinism).
    func files(under relative: String, suffix: String) -> [(path: String, bytes: [UInt8])] {
        let folder = root.appendingPathComponent(relative)
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var found: [(String, [UInt8])] = []
        for case let path as String in enumerator where path.hasSuffix(suffix) {
            if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) {
                found.append((path, Array(data)))
            }
        }
        return found.sorted { $0.0 < $1.0 }
    }
}

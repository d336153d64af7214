import Foundation
import Testing

@testable import Catalog

/// Adding one device type to a catalog directory: the name checked, the result loaded again, nothing partial.
@Suite("Adding a device type to a catalog directory")
struct CatalogWriterAddTests {
    /// A copy of the shipped catalog directory (comments and all) in a new temporary folder.
    static func shippedCopy() throws -> URL {
        let shipped = try #require(CatalogLoader.shippedDirectory)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-add-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent("configs")
        try FileManager.default.copyItem(at: shipped.resolvingSymlinksInPath(), to: target)
        return target
    }

    static func newType(_ name: String, vendor: String = "supermicro", memory: Int? = 96) -> DeviceType {
        DeviceType(
            name: name, vendor: vendor, description: "Proposed from 2 discovered server(s); review before use",
            boards: ["H12SSL-i"],
            hardware: HardwareSpec(
                cpu: CPUSpec(model: "AMD EPYC 7313P", sockets: 1, cores: 16, frequencyGHz: nil), memoryGiB: memory,
                storage: [DriveGroup(count: 3, sizeGB: 3840, kind: .nvme)],
                network: [NICGroup(count: 2, speedGbps: 100)]))
    }

    @Test("names: every shipped type's name passes; empty, one part, underscores, empty parts, odd characters fail")
    func names() throws {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        for name in catalog.deviceTypes.keys { #expect(DeviceTypeName.problem(with: name) == nil, "\(name)") }
        for name in ["s2.c2.small", "flex-6448Y.g.c.medium", "sf.1", "a1.c9.large"] {
            #expect(DeviceTypeName.problem(with: name) == nil, "\(name)")
        }
        let bad: [(String, String)] = [
            ("", "empty"), ("large", "one part"), ("s2_c2_small", "`s2.c2.small`"), ("s2..small", "empty part"),
            (".s2.small", "empty part"), ("s2.small.", "empty part"), ("s2.-x", "hyphen"), ("s2 c2.small", "` `"),
            ("s2.grö", "`ö`"), ("s2/c2.small", "`/`"), (String(repeating: "a.", count: 40) + "b", "keep it to 64"),
        ]
        for (name, words) in bad {
            let problem = try #require(DeviceTypeName.problem(with: name), "\(name) passed")
            #expect(problem.contains(words), "\(name): \(problem)")
        }
    }

    @Test("the entry goes under device_types of the vendor's file, comments kept; the catalog loads it as written")
    func adds() throws {
        let directory = try Self.shippedCopy()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let file = directory.appendingPathComponent("vendors/supermicro.yaml")
        let before = try String(contentsOf: file, encoding: .utf8)
        let count = try CatalogLoader.load(directory: directory.path).catalog.deviceTypes.count
        let type = Self.newType("s9.c1.large")
        let added = try CatalogWriter.add(type, to: directory)
        #expect(added.file.path == file.path && !added.createdFile)
        #expect(added.yaml.contains("s9.c1.large:") && added.yaml.contains("model: AMD EPYC 7313P"))
        let after = try String(contentsOf: file, encoding: .utf8)
        let headerComments = before.split(separator: "\n").prefix { $0.hasPrefix("#") }
        #expect(!headerComments.isEmpty && after.hasPrefix(headerComments.joined(separator: "\n")))
        #expect(after.count > before.count)
        let reloaded = try CatalogLoader.load(directory: directory.path)
        #expect(reloaded.catalog.deviceTypes.count == count + 1)
        #expect(reloaded.catalog.deviceTypes["s9.c1.large"] == type)
        #expect(reloaded.catalog.vendors["supermicro"] != nil, "the vendor block still reads")
        // No temporary or staging file is left beside it.
        let names = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        #expect(names.allSatisfy { !$0.hasPrefix(".") }, "\(names)")
    }

    @Test("an existing name, a bad name, an entry the catalog would refuse: an error, the file byte for byte as it was")
    func refusals() throws {
        let directory = try Self.shippedCopy()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let file = directory.appendingPathComponent("vendors/supermicro.yaml")
        let before = try Data(contentsOf: file)
        let cases: [(DeviceType, CatalogAddError.Kind, String)] = [
            (Self.newType("s2.c2.small"), .nameTaken, "vendors/supermicro.yaml"),
            (Self.newType("s2_c9_small"), .invalidName, "underscore"),
            (Self.newType("s9.c1.large", memory: nil), .invalidResult, "memory is missing"),
        ]
        for (type, kind, words) in cases {
            #expect {
                _ = try CatalogWriter.add(type, to: directory)
            } throws: { error in
                guard let error = error as? CatalogAddError else { return false }
                return error.kind == kind && error.message.contains(words)
            }
            #expect(try Data(contentsOf: file) == before, "\(type.name): the file changed")
        }
        #expect(throws: CatalogAddError.self) {
            try CatalogWriter.add(Self.newType("s9.c1.large"), to: directory.deletingLastPathComponent())
        }
    }

    @Test("a vendor the catalog lacks gets its own file, which loads")
    func newVendor() throws {
        let directory = try Self.shippedCopy()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let added = try CatalogWriter.add(Self.newType("x1.c1.large", vendor: "acme"), to: directory)
        #expect(added.createdFile && added.file.lastPathComponent == "acme.yaml")
        let reloaded = try CatalogLoader.load(directory: directory.path)
        #expect(reloaded.catalog.vendors["acme"]?.motherboards == ["H12SSL-i"])
        #expect(reloaded.catalog.deviceTypes["x1.c1.large"]?.vendor == "acme")
    }

    @Test("insertion keeps the file's indentation and leaves a comment before the next key with that key")
    func insertion() throws {
        let text = """
            # a vendor file
            device_types:
                a1.c1.small:
                    hardware: {}
            # about the vendor
            vendor:
                id: acme

            """
        let entry = "device_types:\n  b1.c1.small:\n    hardware:\n      memory_gib: 8\n"
        let result = try CatalogWriter.inserting(entry, into: text, file: "vendors/acme.yaml")
        #expect(
            result == """
                # a vendor file
                device_types:
                    a1.c1.small:
                        hardware: {}
                    b1.c1.small:
                      hardware:
                        memory_gib: 8
                # about the vendor
                vendor:
                    id: acme

                """)
        let bare = try CatalogWriter.inserting(entry, into: "vendor:\n  id: acme\n", file: "v.yaml")
        #expect(bare == "vendor:\n  id: acme\n" + entry)
        #expect(throws: CatalogAddError.self) {
            try CatalogWriter.inserting(entry, into: "device_types: {a: 1}\n", file: "v.yaml")
        }
    }
}

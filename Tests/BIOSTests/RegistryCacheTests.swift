import Foundation
import Redfish
import Testing

@testable import BIOS

/// Registries kept on disk: a second cache (another process) starts warm; unreadable files are ignored.
@Suite("BIOS registry cache on disk")
struct RegistryCacheTests {
    static let document: JSONValue = .object([
        "Id": .string("BiosAttributeRegistryX.v1_0_0"),
        "RegistryEntries": .object([
            "Attributes": .array([
                .object([
                    "AttributeName": .string("BootMode"), "Type": .string("Enumeration"),
                    "Value": .array([.object(["ValueName": .string("Uefi")]), .object(["ValueName": .string("Bios")])]),
                ])
            ])
        ]),
    ])

    @Test("kept as a 0600 file in a 0700 folder; a new cache over the folder finds it; a damaged file is a miss")
    func persisted() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-registries-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = RegistryCache(directory: folder)
        #expect(first.registry(name: "Dell|R650|X", biosVersion: "1.2.3") == nil)
        first.store(document: Self.document, name: "Dell|R650|X", biosVersion: "1.2.3")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == 1 && files[0].hasSuffix(".json"), "\(files)")
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(files[0]).path)
        #expect((attributes[.posixPermissions] as? Int ?? 0) & 0o077 == 0)
        let folderMode = try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? Int
        #expect((folderMode ?? 0) & 0o077 == 0)

        let second = RegistryCache(directory: folder)
        let read = try #require(second.registry(name: "Dell|R650|X", biosVersion: "1.2.3"))
        #expect(read["BootMode"]?.allowed == ["Uefi", "Bios"])
        #expect(second.registry(name: "Dell|R650|X", biosVersion: "1.2.4") == nil, "another BIOS version is a miss")

        try Data("{ not json".utf8).write(to: folder.appendingPathComponent(files[0]))
        #expect(RegistryCache(directory: folder).registry(name: "Dell|R650|X", biosVersion: "1.2.3") == nil)
        #expect(RegistryCache().registry(name: "Dell|R650|X", biosVersion: "1.2.3") == nil, "memory only: empty")
    }
}

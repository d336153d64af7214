import Foundation
import Testing

@testable import Firmware

/// A temporary repository and a folder of image files, removed afterwards.
struct ScratchRepository {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-fw-\(UUID().uuidString)")
    var library: FirmwareLibrary { FirmwareLibrary(directory: root.appendingPathComponent("repo")) }

    /// Writes `data` as `name` in the incoming folder.
    func file(_ name: String, _ data: Data) throws -> URL {
        let folder = root.appendingPathComponent("incoming")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

@Suite("Firmware repository")
struct FirmwareLibraryTests {
    @Test("add computes the SHA-256, copies into {vendor}/{component}/, records it; list and verify read it back")
    func addListVerify() throws {
        let scratch = ScratchRepository()
        defer { scratch.remove() }
        let bytes = Data("firmware image".utf8)
        let image = try scratch.library.add(
            file: try scratch.file("X11SPL_3.7.rom", bytes), vendor: "Supermicro", component: .bios, version: "3.7",
            deviceTypes: ["s2.c2.small"], releaseDate: "2024-10-30", priority: .high, security: true)
        #expect(image.file == "supermicro/bios/X11SPL_3.7.rom")
        #expect(image.sha256 == FirmwareLibrary.digestHex(bytes))
        #expect(image.size == bytes.count)
        let listed = try scratch.library.images()
        #expect(listed == [image])
        #expect(try scratch.library.verify(image).path.hasSuffix("repo/supermicro/bios/X11SPL_3.7.rom"))
        // The same file again is the same record; the same version with other bytes is refused.
        #expect(
            try scratch.library.add(
                file: try scratch.file("X11SPL_3.7.rom", bytes), vendor: "supermicro", component: .bios,
                version: "3.7") == image)
        #expect(throws: FirmwareError.self) {
            try scratch.library.add(
                file: try scratch.file("other.rom", Data("other".utf8)), vendor: "supermicro", component: .bios,
                version: "3.7")
        }
    }

    @Test("a tampered image is refused on use, naming both digests")
    func tampered() throws {
        let scratch = ScratchRepository()
        defer { scratch.remove() }
        let image = try scratch.library.add(
            file: try scratch.file("BMC_1.74.06.bin", Data("good".utf8)), vendor: "supermicro", component: .bmc,
            version: "1.74.06")
        try Data("evil".utf8).write(to: scratch.library.url(of: image))
        let error = #expect(throws: FirmwareError.self) { try scratch.library.verify(image) }
        #expect(error?.kind == .checksum)
        #expect(error?.message.contains(image.sha256) == true)
        #expect(error?.message.contains(FirmwareLibrary.digestHex(Data("evil".utf8))) == true)
    }

    @Test("a published checksum that does not match refuses the add and writes nothing")
    func expectedChecksum() throws {
        let scratch = ScratchRepository()
        defer { scratch.remove() }
        let file = try scratch.file("ilo5_278.fwpkg", Data("ilo".utf8))
        let error = #expect(throws: FirmwareError.self) {
            try scratch.library.add(
                file: file, vendor: "hpe", component: .bmc, version: "2.78",
                expectedSHA256: "sha256:" + String(repeating: "0", count: 64))
        }
        #expect(error?.kind == .checksum)
        #expect(!FileManager.default.fileExists(atPath: scratch.library.directory.path))
        // The right one (with the legacy `sha256:` prefix) is accepted.
        let image = try scratch.library.add(
            file: file, vendor: "hpe", component: .bmc, version: "2.78",
            expectedSHA256: "sha256:" + FirmwareLibrary.digestHex(Data("ilo".utf8)))
        #expect(image.vendor == "hpe")
    }

    @Test(
        "files in the legacy {vendor}/{bios,bmc}/ layout that nobody recorded are listed; a bad manifest names itself")
    func legacyLayoutAndBadManifest() throws {
        let scratch = ScratchRepository()
        defer { scratch.remove() }
        let folder = scratch.library.directory.appendingPathComponent("hpe/bios")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: folder.appendingPathComponent("U30_v2.54.fwpkg"))
        #expect(try scratch.library.unregistered() == ["hpe/bios/U30_v2.54.fwpkg"])
        try Data("images: [ {file: a} ]\nschema: 1\n".utf8).write(
            to: scratch.library.directory.appendingPathComponent("manifest.yaml"))
        let error = #expect(throws: FirmwareError.self) { try scratch.library.images() }
        #expect(error?.message.contains("manifest.yaml") == true)
        #expect(error?.message.contains("vendor") == true)
    }

    @Test("bad input is refused with the field named", arguments: ["", "sup/er"])
    func badVendor(vendor: String) throws {
        let scratch = ScratchRepository()
        defer { scratch.remove() }
        let error = #expect(throws: FirmwareError.self) {
            try scratch.library.add(
                file: try scratch.file("a.bin", Data("a".utf8)), vendor: vendor, component: .bmc, version: "1")
        }
        #expect(error?.message.contains("vendor") == true)
    }
}

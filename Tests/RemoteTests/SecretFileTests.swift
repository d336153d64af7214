import Foundation
import Testing

@testable import Remote

/// Secret files are private from their first instant and never written through something already at their path.
@Suite("SecretFile")
struct SecretFileTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("a created file is 0600 right away and holds the bytes")
    func create() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("key").path
        try SecretFile.create(Data("secret".utf8), at: path)
        #expect(SecretFile.mode(of: path) == 0o600)
        #expect(FileManager.default.contents(atPath: path) == Data("secret".utf8))
    }

    @Test("an existing file or a planted link is refused and left untouched; the link's target is never written")
    func refusesExisting() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let existing = folder.appendingPathComponent("existing").path
        try "old".write(toFile: existing, atomically: false, encoding: .utf8)
        #expect(throws: SecretFileError.self) { try SecretFile.create(Data("new".utf8), at: existing) }
        #expect(FileManager.default.contents(atPath: existing) == Data("old".utf8))

        let target = folder.appendingPathComponent("target").path
        try "target".write(toFile: target, atomically: false, encoding: .utf8)
        let link = folder.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect {
            try SecretFile.create(Data("secret".utf8), at: link)
        } throws: { error in
            (error as? SecretFileError)?.kind == .exists && (error as? SecretFileError)?.path == link
        }
        #expect(FileManager.default.contents(atPath: target) == Data("target".utf8))
        // A dangling link too: O_EXCL never creates its target.
        let dangling = folder.appendingPathComponent("dangling").path
        let nowhere = folder.appendingPathComponent("nowhere").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: nowhere)
        #expect(throws: SecretFileError.self) { try SecretFile.create(Data("secret".utf8), at: dangling) }
        #expect(!FileManager.default.fileExists(atPath: nowhere))
    }

    @Test("write replaces a file (even a readable one, even a link) with a new 0600 file; no temporary is left")
    func replace() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("credentials").path
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try SecretFile.write(Data("user=a\npassword=b\n".utf8), to: path)
        #expect(SecretFile.mode(of: path) == 0o600)
        #expect(FileManager.default.contents(atPath: path) == Data("user=a\npassword=b\n".utf8))

        let target = folder.appendingPathComponent("target").path
        try "target".write(toFile: target, atomically: false, encoding: .utf8)
        let link = folder.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        try SecretFile.write(Data("secret".utf8), to: link)
        #expect(FileManager.default.contents(atPath: target) == Data("target".utf8))
        // The link itself was replaced by the new file (lstat: a regular 0600 file, no longer a link).
        #expect(SecretFile.mode(of: link) == 0o600)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil)
        #expect(FileManager.default.contents(atPath: link) == Data("secret".utf8))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [
                "credentials", "link", "target",
            ])
    }

    @Test("folders are made 0700, missing parents too; an exclusive folder must be new")
    func directories() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let nested = folder.appendingPathComponent("state/keys").path
        try SecretFile.makeDirectory(nested)
        #expect(SecretFile.mode(of: nested) == 0o700)
        #expect(SecretFile.mode(of: folder.appendingPathComponent("state").path) == 0o700)
        try SecretFile.makeDirectory(nested)
        #expect {
            try SecretFile.makeDirectory(nested, exclusive: true)
        } throws: { error in
            (error as? SecretFileError)?.kind == .exists
        }
        let file = folder.appendingPathComponent("file").path
        try SecretFile.create(Data(), at: file)
        #expect(throws: SecretFileError.self) { try SecretFile.makeDirectory(file) }
    }
}

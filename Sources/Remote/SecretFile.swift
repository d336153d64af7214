import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Files that hold secrets (credential keys, passwords, tool configuration with a password in it), and the folders
/// that hold them, created private from their first instant.
///
/// A file is opened with `O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW` and mode 0600 (then `fchmod` to exactly 0600,
/// whatever the umask), and only then written: it is never readable by others, not even between a write and a
/// chmod. `O_EXCL` refuses any existing name, a symbolic link planted there included, so a secret is never written
/// through a link to somewhere else. Replacing a file writes a new one that way in the same folder and renames it
/// over the old (`rename(2)` replaces a link itself, never its target). Folders are made with `mkdir` mode 0700.
public enum SecretFile {
    /// Creates `path`, which must not exist, with mode 0600, and writes `data` to it (flushed to disk). An existing
    /// file or link at `path` is refused (`.exists`) and left untouched.
    public static func create(_ data: Data, at path: String) throws(SecretFileError) {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            throw SecretFileError(
                kind: code == EEXIST ? .exists : .cannotCreate, path: path,
                message: code == EEXIST
                    ? "already exists (a secret is never written through an existing file or link); remove it first"
                    : "cannot create it: \(describe(code))")
        }
        do throws(SecretFileError) {
            try fill(descriptor, with: data, path: path)
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Writes `data` to `path`, replacing whatever is there, atomically: a new 0600 file in the same folder, renamed
    /// over `path`. Readers see the old contents or the new, never a part.
    public static func write(_ data: Data, to path: String) throws(SecretFileError) {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(12)).tmp").path
        try create(data, at: temporary)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw SecretFileError(kind: .cannotCreate, path: path, message: "cannot replace it: \(describe(code))")
        }
    }

    /// Makes the folder `path` with mode 0700, and any missing folder above it the same way. An existing folder is
    /// accepted as it is (its mode is the operator's choice); with `exclusive`, an existing name is refused
    /// (`.exists`), as a new private working folder must be new.
    public static func makeDirectory(_ path: String, exclusive: Bool = false) throws(SecretFileError) {
        if mkdir(path, 0o700) == 0 {
            try restrict(path)
            return
        }
        let code = errno
        switch code {
        case EEXIST:
            guard !exclusive else {
                throw SecretFileError(
                    kind: .exists, path: path, message: "already exists; a private working folder must be new")
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw SecretFileError(kind: .cannotCreate, path: path, message: "exists and is not a folder")
            }
        case ENOENT:
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            guard parent != path, !parent.isEmpty else {
                throw SecretFileError(kind: .cannotCreate, path: path, message: "cannot create it: \(describe(code))")
            }
            try makeDirectory(parent)
            try makeDirectory(path, exclusive: exclusive)
        default:
            throw SecretFileError(kind: .cannotCreate, path: path, message: "cannot create it: \(describe(code))")
        }
    }

    /// The permission bits of `path` (not following a final link), or nil when it does not exist.
    public static func mode(of path: String) -> Int? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return Int(status.st_mode) & 0o7777
    }

    private static func fill(_ descriptor: Int32, with data: Data, path: String) throws(SecretFileError) {
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else {
            throw SecretFileError(
                kind: .cannotCreate, path: path, message: "cannot set mode 0600: \(describe(errno))")
        }
        var failure: Int32?
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = writeBytes(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if let failure {
            throw SecretFileError(kind: .cannotCreate, path: path, message: "cannot write it: \(describe(failure))")
        }
        guard fsync(descriptor) == 0 else {
            throw SecretFileError(kind: .cannotCreate, path: path, message: "cannot flush it: \(describe(errno))")
        }
    }

    /// A new folder's mode is 0700 whatever the umask.
    private static func restrict(_ path: String) throws(SecretFileError) {
        guard chmod(path, 0o700) == 0 else {
            throw SecretFileError(
                kind: .cannotCreate, path: path, message: "cannot set mode 0700: \(describe(errno))")
        }
    }

    private static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// `write(2)`, named apart from `SecretFile.write(_:to:)`.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// A private file or folder could not be made: which one, and why.
public struct SecretFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable {
        /// Something (a file, a folder or a link) is already at the path.
        case exists
        /// The file or folder could not be created or written (permissions, a missing folder, a full disk).
        case cannotCreate
    }

    /// The kind.
    public var kind: Kind
    /// The file or folder.
    public var path: String
    /// What happened and what to do.
    public var message: String

    /// Creates an error.
    public init(kind: Kind, path: String, message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}

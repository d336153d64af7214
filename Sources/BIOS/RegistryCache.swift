import Crypto
import Foundation
import Redfish
import Synchronization

/// AttributeRegistries already read, by name (RedfishBIOS uses vendor, model and registry name) and BIOS version:
/// servers of one model and BIOS share one, so a batch reads it once. With a `directory`, each registry is also kept
/// there as the BMC served it (one JSON file per name and version, written atomically, 0600), so later runs and other
/// processes on this machine start warm; a file that cannot be read or parsed is ignored and read again from the BMC.
public final class RegistryCache: Sendable {
    private let entries = Mutex<[String: [String: RegistryAttribute]]>([:])
    /// Where registries are kept between processes (nil: memory only).
    public let directory: URL?

    /// The process-wide cache (memory only).
    public static let shared = RegistryCache()

    /// An empty cache; with `directory`, backed by the registries kept there.
    public init(directory: URL? = nil) {
        self.directory = directory
    }

    /// `$HWA_STATE_DIR/bios-registries`, else `~/.local/share/hwautomation/bios-registries`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let state = environment["HWA_STATE_DIR"], !state.isEmpty {
            return URL(fileURLWithPath: state).appendingPathComponent("bios-registries")
        }
        return FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".local/share/hwautomation/bios-registries")
    }

    /// The registry for `name` at `biosVersion`, if read before (by this process, or kept in the directory).
    public func registry(name: String, biosVersion: String) -> [String: RegistryAttribute]? {
        let key = "\(name)|\(biosVersion)"
        if let known = entries.withLock({ $0[key] }) { return known }
        guard let file = file(for: key), let data = FileManager.default.contents(atPath: file.path),
            let document = try? JSONValue.parse(data)
        else { return nil }
        let parsed = RegistryAttribute.parse(document)
        guard !parsed.isEmpty else { return nil }
        entries.withLock { $0[key] = parsed }
        return parsed
    }

    /// Remembers a registry as parsed.
    public func store(_ registry: [String: RegistryAttribute], name: String, biosVersion: String) {
        entries.withLock { $0["\(name)|\(biosVersion)"] = registry }
    }

    /// Remembers the registry `document` as the BMC served it, and keeps it in the directory when there is one (a
    /// failure to write only costs a later read).
    public func store(document: JSONValue, name: String, biosVersion: String) {
        let key = "\(name)|\(biosVersion)"
        store(RegistryAttribute.parse(document), name: name, biosVersion: biosVersion)
        guard let file = file(for: key), let data = try? JSONEncoder().encode(document) else { return }
        try? FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let temporary = file.appendingPathExtension("tmp-\(UUID().uuidString)")
        guard
            FileManager.default.createFile(
                atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600])
        else { return }
        // rename(2): the file appears whole or not at all.
        if rename(temporary.path, file.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
    }

    /// The file for `key`: its SHA-256, so names and versions with any characters make safe file names.
    private func file(for key: String) -> URL? {
        guard let directory else { return nil }
        let digest = SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
        return directory.appendingPathComponent(digest + ".json")
    }
}

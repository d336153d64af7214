import Synchronization

/// AttributeRegistries already read, by name (RedfishBIOS uses vendor, model and registry name) and BIOS version:
/// servers of one model and BIOS share one, so a batch reads it once.
public final class RegistryCache: Sendable {
    private let entries = Mutex<[String: [String: RegistryAttribute]]>([:])

    /// The process-wide cache.
    public static let shared = RegistryCache()

    /// An empty cache.
    public init() {}

    /// The registry for `name` at `biosVersion`, if read before.
    public func registry(name: String, biosVersion: String) -> [String: RegistryAttribute]? {
        entries.withLock { $0["\(name)|\(biosVersion)"] }
    }

    /// Remembers a registry.
    public func store(_ registry: [String: RegistryAttribute], name: String, biosVersion: String) {
        entries.withLock { $0["\(name)|\(biosVersion)"] = registry }
    }
}

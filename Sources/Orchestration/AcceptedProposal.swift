/// What accepting a proposal wrote.
public struct AcceptedProposal: Sendable, Hashable, Codable {
    /// The proposal's id.
    public var id: String
    /// The new type's name.
    public var name: String
    /// Its vendor.
    public var vendor: String
    /// The vendor file that holds it now.
    public var file: String
    /// True when the vendor file was created (the catalog had no such vendor).
    public var createdFile: Bool
    /// True when the config directory was new and was first written from the catalog in use.
    public var createdCatalog: Bool
    /// The entry as written (YAML).
    public var yaml: String
    /// The servers of the proposal (ids): they classify as the new type once the catalog is loaded again.
    public var servers: [String]
    /// The catalog's warnings about the new type (they do not stop it from loading).
    public var warnings: [String]
    /// Always true: a running process keeps the catalog it loaded at start; the type is used after a restart.
    public var activeAfterRestart: Bool

    enum CodingKeys: String, CodingKey {
        case id, name, vendor, file
        case createdFile = "created_file"
        case createdCatalog = "created_catalog"
        case yaml, servers, warnings
        case activeAfterRestart = "active_after_restart"
    }
}

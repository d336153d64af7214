import Catalog
import Inventory

/// Unknown hardware, grouped: the stored servers whose newest inventory the catalog does not know (or fits only with
/// `low` confidence) and that share one build (`HardwareFingerprint`), with the catalog entry proposed for them.
public struct CatalogProposal: Sendable, Hashable, Codable {
    /// One server of the group.
    public struct Server: Sendable, Hashable, Codable {
        /// The stored server's id.
        public var id: String
        /// Its display name.
        public var name: String
        /// Its system serial, when discovery read one.
        public var serial: String?
    }

    /// The proposal's id: the fingerprint's first 12 hex characters.
    public var id: String
    /// The whole fingerprint (SHA-256, hex).
    public var fingerprint: String
    /// The name proposed for the type (`proposed.h12ssl-i.c16.m96`); accepting may give another.
    public var suggestedName: String
    /// The vendor (`supermicro`).
    public var vendor: String
    /// How many stored servers have this build.
    public var count: Int
    /// Those servers, by id.
    public var servers: [Server]
    /// The best confidence any of them was classified with (`none` or `low`).
    public var confidence: Classification.Confidence
    /// The nearest existing types, best first (of the first server), when the classifier had any.
    public var nearest: [Candidate]
    /// The proposed entry, named `suggestedName`.
    public var deviceType: DeviceType
    /// The proposed entry as it would stand in a vendor file (YAML, under `device_types:`).
    public var yaml: String

    enum CodingKeys: String, CodingKey {
        case id, fingerprint
        case suggestedName = "suggested_name"
        case vendor, count, servers, confidence, nearest
        case deviceType = "device_type"
        case yaml
    }
}

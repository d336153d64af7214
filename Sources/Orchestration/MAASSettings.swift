import Foundation

/// The MAAS region the server talks to: its URL and the name of the stored credential holding its API key (the
/// key itself stays encrypted in the store).
public struct MAASSettings: Sendable, Hashable {
    /// The region's URL (`http://maas:5240/MAAS`).
    public var url: URL
    /// The stored credential with the API key.
    public var credential: String
    /// TLS for an https region: `verify`, `insecure`, `ca:FILE` (nil: verify).
    public var tls: String?

    /// Settings.
    public init(url: URL, credential: String, tls: String? = nil) {
        self.url = url
        self.credential = credential
        self.tls = tls
    }
}

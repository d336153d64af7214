import Foundation

/// Scheme, host and port of a URL: the unit a BMC's credentials stay within.
///
/// The client sends `Authorization` or `X-Auth-Token` only to its BMC's origin. A redirect, an absolute
/// `@odata.id`, a session or task `Location` that names another origin is refused with a `.refused` error naming
/// both origins, never followed (a BMC pointing elsewhere is misconfigured or compromised; an operator expects the
/// client to stop, not to carry on without credentials and fail later in a less clear way). A move from https to
/// http, even on the same host, is a downgrade and always refused.
public struct RedfishOrigin: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https` (lower case).
    public var scheme: String
    /// Host name or address (lower case, without IPv6 brackets).
    public var host: String
    /// Port; the scheme's default (80, 443) when the URL names none.
    public var port: Int

    /// The origin of `url`; nil when it is not an absolute http(s) URL with a host.
    public init?(_ url: URL) {
        guard let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), let host = url.host,
            !host.isEmpty
        else { return nil }
        self.scheme = scheme
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        self.host = name
        port = url.port ?? (scheme == "https" ? 443 : 80)
    }

    /// `https://10.0.0.5:443` (IPv6 addresses in brackets); never a user or password.
    public var description: String {
        "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// What the client may do with a URL it was sent to (a redirect) or told of (a link, a `Location`).
    public enum Decision: Sendable, Hashable {
        /// The same origin: follow it with the credentials.
        case sameOrigin
        /// https to http: refused whatever the host.
        case downgrade
        /// Another host, port or scheme: refused (the credentials stay with the BMC).
        case otherOrigin
    }

    /// Whether a request from this origin (the BMC's) may go to `target` with the BMC's credentials.
    public func decide(_ target: RedfishOrigin) -> Decision {
        if scheme == "https" && target.scheme == "http" { return .downgrade }
        return target == self ? .sameOrigin : .otherOrigin
    }
}

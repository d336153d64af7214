import Foundation

/// Where a MAAS region's API is and how to sign in: the API 2.0 base URL (`http://maas:5240/MAAS/api/2.0/`) and an
/// API key `consumer:token:secret` (MAAS's `apikey` command prints one).
public struct MAASEndpoint: Sendable, CustomStringConvertible {
    /// The API base, ending in `/api/2.0/`.
    public var baseURL: URL
    /// Consumer key, token key, token secret.
    public var consumer: String
    /// The token key.
    public var token: String
    /// The token secret.
    public var secret: String
    /// Per-request timeout.
    public var timeout: Duration
    /// Verify the region's TLS certificate (https).
    public var verifyTLS: Bool
    /// A PEM file of certificates to trust for the region (its own CA), instead of the system's.
    public var caFile: String?

    /// An endpoint; `url` may be the region (`http://maas:5240/MAAS`) or the API base. Throws `MAASError` for a
    /// key that is not `consumer:token:secret`.
    public init(
        url: URL, apiKey: String, timeout: Duration = .seconds(30), verifyTLS: Bool = true, caFile: String? = nil
    ) throws(MAASError) {
        let parts = apiKey.trimmingCharacters(in: .whitespacesAndNewlines).split(
            separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw MAASError(
                kind: .configuration, method: "-", path: "-", status: nil,
                message: "the MAAS API key must be consumer:token:secret (as `maas apikey` prints it)")
        }
        var base = url.absoluteString
        if !base.hasSuffix("/") { base += "/" }
        if !base.hasSuffix("api/2.0/") { base += "api/2.0/" }
        guard let resolved = URL(string: base), resolved.host != nil else {
            throw MAASError(
                kind: .configuration, method: "-", path: "-", status: nil, message: "\(url) is not a MAAS URL")
        }
        baseURL = resolved
        consumer = String(parts[0])
        token = String(parts[1])
        secret = String(parts[2])
        self.timeout = timeout
        self.verifyTLS = verifyTLS
        self.caFile = caFile
    }

    /// The run-input TLS policy (`verify`, `insecure`, `ca:FILE`) as an endpoint; anything else is an error.
    public init(url: URL, apiKey: String, tlsPolicy: String?, timeout: Duration = .seconds(30)) throws(MAASError) {
        switch tlsPolicy ?? "verify" {
        case "verify": try self.init(url: url, apiKey: apiKey, timeout: timeout)
        case "insecure": try self.init(url: url, apiKey: apiKey, timeout: timeout, verifyTLS: false)
        case let policy where policy.hasPrefix("ca:"):
            try self.init(url: url, apiKey: apiKey, timeout: timeout, caFile: String(policy.dropFirst(3)))
        case let other:
            throw MAASError(
                kind: .configuration, method: "-", path: "-", status: nil,
                message: "unknown MAAS TLS policy `\(other)` (verify, insecure, ca:FILE)")
        }
    }

    /// The OAuth 1.0 PLAINTEXT header MAAS expects (an empty consumer secret, so the signature is `&` + token
    /// secret, percent-encoded like every value).
    public func authorization(nonce: String, timestamp: Int) -> String {
        let fields: [(String, String)] = [
            ("oauth_version", "1.0"), ("oauth_signature_method", "PLAINTEXT"), ("oauth_consumer_key", consumer),
            ("oauth_token", token), ("oauth_signature", "&" + secret), ("oauth_nonce", nonce),
            ("oauth_timestamp", String(timestamp)),
        ]
        return "OAuth " + fields.map { "\($0.0)=\"\(Self.percentEncode($0.1))\"" }.joined(separator: ", ")
    }

    /// RFC 3986 unreserved characters kept, everything else percent-encoded (OAuth's encoding).
    public static func percentEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The region, without the key.
    public var description: String { baseURL.absoluteString }
}

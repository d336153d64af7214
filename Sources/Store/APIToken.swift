import Crypto
import Foundation

/// An API token as stored: its name, scope and a SHA-256 digest of the secret (the secret itself is shown once,
/// when it is made, and never kept).
public struct APIToken: Sendable, Hashable, Codable {
    /// What a token may do.
    /// What a token may do. Each scope includes the ones before it: `read` < `operator` < `admin`.
    public enum Scope: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        /// Read everything (GET), change nothing.
        case read
        /// Read, and start, cancel and resume workflows on servers already recorded (discovery dry runs too).
        case `operator`
        /// Everything: servers, credentials, pools, tokens, MAAS settings.
        case admin

        private var rank: Int {
            switch self {
            case .read: 0
            case .operator: 1
            case .admin: 2
            }
        }

        /// Orders by what a scope may do.
        public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.rank < rhs.rank }
    }

    /// Stable id.
    public var id: String
    /// A name people know it by (`ci`, `dashboard-alice`).
    public var name: String
    /// What it may do.
    public var scope: Scope
    /// Hex SHA-256 of the secret.
    public var digest: String
    /// When it was made.
    public var created: Date
    /// When it was revoked (nil while it works).
    public var revoked: Date?
    /// When it stops working by itself (nil: never).
    public var expires: Date?
    /// When it was last presented (to the minute: the server records a use at most once a minute).
    public var lastUsed: Date?

    /// A record.
    public init(
        id: String, name: String, scope: Scope, digest: String, created: Date = Date(), revoked: Date? = nil,
        expires: Date? = nil, lastUsed: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.scope = scope
        self.digest = digest
        self.created = created
        self.revoked = revoked
        self.expires = expires
        self.lastUsed = lastUsed
    }

    /// Why the token no longer works at `now` (revoked or expired), or nil while it works.
    public func refusal(at now: Date) -> String? {
        if revoked != nil { return "the API token \(name) was revoked" }
        if let expires, expires <= now { return "the API token \(name) expired" }
        return nil
    }

    /// A new token: the record to store and the secret to show once (`hwa_` + 32 random bytes, base64url).
    public static func make(name: String, scope: Scope, expires: Date? = nil) -> (token: APIToken, secret: String) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let secret =
            "hwa_"
            + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let token = APIToken(
            id: UUID().uuidString.lowercased(), name: name, scope: scope, digest: digest(of: secret), expires: expires)
        return (token, secret)
    }

    /// The hex SHA-256 of a presented secret.
    public static func digest(of secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

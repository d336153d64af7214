import Foundation

/// Where a stored credential may be sent: the addresses it is bound to, and whether plain `http://` is allowed.
///
/// A credential with no addresses is unbound: usable against any address (what every credential stored before
/// bindings existed is; `credentials list` flags them). Bound or not, a credential is never sent over plain http
/// unless it allows it (`--allow-plain-http`, meant for labs).
public struct CredentialScope: Sendable, Hashable {
    /// The addresses it may be used against (empty: any).
    public var allow: [AddressPattern]
    /// Whether it may be sent over plain `http://`.
    public var allowPlainHTTP: Bool

    /// A scope.
    public init(allow: [AddressPattern] = [], allowPlainHTTP: Bool = false) {
        var seen = Set<AddressPattern>()
        self.allow = allow.filter { seen.insert($0).inserted }
        self.allowPlainHTTP = allowPlainHTTP
    }

    /// A scope from patterns as an operator writes them (`10.1.0.0/16`, `bmc-*.rack1.example`).
    public init(parsing patterns: [String], allowPlainHTTP: Bool = false) throws(AddressPatternError) {
        var parsed: [AddressPattern] = []
        for pattern in patterns { parsed.append(try AddressPattern(pattern)) }
        self.init(allow: parsed, allowPlainHTTP: allowPlainHTTP)
    }

    /// Usable against any address, and only over https (or a protocol other than http).
    public static let unbound = CredentialScope()

    /// 127.0.0.1 only, plain http allowed: for the lab (`hwautomation demo`, the benches, tests), whose simulated
    /// BMCs and MAAS region serve plain http on loopback.
    public static let loopbackLab = CredentialScope(
        allow: [.ipv4(network: 0x7F00_0001, prefix: 32)], allowPlainHTTP: true)

    /// Whether it names no addresses (usable against any).
    public var isUnbound: Bool { allow.isEmpty }

    /// The patterns as they are stored and shown.
    public var patterns: [String] { allow.map(\.description) }

    /// Whether the credential may be used against `host` (an IP literal or a hostname; never resolved).
    public func permits(host: String) -> Bool { isUnbound || allow.contains { $0.matches(host: host) } }

    /// The patterns in the store's column: a JSON array of strings.
    var stored: String {
        String(decoding: (try? JSONEncoder().encode(patterns)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// The scope read back from the store's columns (`stored`, and the plain-http flag).
    static func stored(_ text: String, allowPlainHTTP: Bool, credential name: String) throws(StoreError)
        -> CredentialScope
    {
        guard let patterns = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            throw StoreError("credential \(name): its stored bindings are not readable (`\(text)`); set them again")
        }
        do {
            return try CredentialScope(parsing: patterns, allowPlainHTTP: allowPlainHTTP)
        } catch {
            throw StoreError("credential \(name): a stored binding is not valid: \(error); set them again")
        }
    }

    /// What is authenticated together with the sealed secret (AES-GCM associated data), so that bindings changed
    /// in the database behind HWAutomation's back make the secret unreadable instead of widening where it goes.
    /// Nil for the default scope: credentials sealed before bindings existed open as they always did.
    func authenticatedData(credential name: String) -> Data? {
        guard !isUnbound || allowPlainHTTP else { return nil }
        let text = (["hwautomation credential scope v1", name] + patterns + [allowPlainHTTP ? "plain-http" : "https"])
            .joined(separator: "\n")
        return Data(text.utf8)
    }
}

import Foundation

extension Credential {
    /// Refuses, before anything connects, to send this credential to `url` when its host is not one the credential
    /// is bound to, or when the scheme is plain `http` and the credential does not allow it.
    public func check(sendingTo url: URL) throws(CredentialUseError) {
        guard let host = url.host, !host.isEmpty else {
            throw CredentialUseError(
                credential: name, address: url.absoluteString, reason: .address, allowed: scope.patterns)
        }
        try check(host: host)
        if url.scheme?.lowercased() == "http" && !scope.allowPlainHTTP {
            let port = url.port.map { ":\($0)" } ?? ""
            let shown = host.contains(":") ? "[\(host)]" : host
            throw CredentialUseError(
                credential: name, address: "http://\(shown)\(port)", reason: .plainHTTP, allowed: scope.patterns)
        }
    }

    /// Refuses to use this credential against `host` (a protocol without URLs: IPMI, SSH) when the credential is
    /// bound and `host` is not one of its addresses. The port, if `host` carries one, is ignored.
    public func check(host: String) throws(CredentialUseError) {
        let bare = Self.stripPort(host)
        guard scope.permits(host: bare) else {
            throw CredentialUseError(credential: name, address: bare, reason: .address, allowed: scope.patterns)
        }
    }

    /// `10.0.0.5:623` → `10.0.0.5`; `[::1]:623` → `::1`; `::1` and names are kept.
    static func stripPort(_ host: String) -> String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return String(host[host.index(after: host.startIndex)..<close])
        }
        let colons = host.filter { $0 == ":" }.count
        if colons == 1, let colon = host.firstIndex(of: ":") { return String(host[..<colon]) }
        return host
    }
}

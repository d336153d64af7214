import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which BMC a change is made on — and which of its systems, when several share one BMC — however an operator
/// spelled its address: `https://10.0.0.5`, `10.0.0.5` and `HTTPS://10.0.0.5:443/redfish/v1/` are one BMC, with
/// one `key` (`https://10.0.0.5:443`), which is what BMC locks are taken on.
///
/// Normalised: the scheme lowercased (`https` when none is given; only `http` and `https`); the host lowercased
/// without a trailing dot, an IPv4 address in dotted decimal, an IPv6 address in its compressed form in brackets
/// (a zone kept as `%25zone`); the port made explicit (443 for https, 80 for http); the path prefix before
/// `/redfish/v1` kept (the lab serves many BMCs under one host and port as `/bmc/<n>`), with repeated and trailing
/// slashes removed; user info, query and fragment dropped. Names are never resolved: a hostname and its address
/// are two identities.
public struct BMCIdentity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `https` or `http`.
    public let scheme: String
    /// A lowercased hostname, an IPv4 address, or a bracketed IPv6 address (`[fe80::1]`).
    public let host: String
    /// The port, explicit even when it is the scheme's default.
    public let port: Int
    /// The path prefix before `/redfish/v1` (`/bmc/3`), without a trailing slash; empty when there is none.
    public let path: String
    /// The system, when the change is on one of several systems behind this BMC; nil for the BMC as a whole.
    public let systemID: String?

    /// Parses an address as operators give it, with an optional system id (an empty one is none).
    public init(address: String, systemID: String? = nil) throws(BMCIdentityError) {
        let text = address.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw BMCIdentityError(address, "it is empty") }
        guard !text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) else {
            throw BMCIdentityError(address, "it contains spaces or control characters")
        }
        var rest = Substring(text)
        if let separator = text.range(of: "://") {
            let given = text[..<separator.lowerBound].lowercased()
            guard given == "https" || given == "http" else {
                throw BMCIdentityError(address, "the scheme `\(given)` is not https or http")
            }
            scheme = given
            rest = text[separator.upperBound...]
        } else {
            scheme = "https"
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let tail = rest[authorityEnd...]
        let pathText = tail.prefix { $0 != "?" && $0 != "#" }

        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw BMCIdentityError(address, "the IPv6 address has no closing `]`")
            }
            host = try Self.ipv6(authority[authority.index(after: authority.startIndex)..<close], address: address)
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else {
                throw BMCIdentityError(address, "`\(after)` after the IPv6 address is not a port")
            }
            portText = after.isEmpty ? nil : after.dropFirst()
        } else if authority.count(where: { $0 == ":" }) > 1 {
            // An IPv6 address without brackets: nothing can follow it, not even a port.
            host = try Self.ipv6(authority, address: address)
            portText = nil
        } else if let colon = authority.firstIndex(of: ":") {
            host = try Self.name(authority[..<colon], address: address)
            portText = authority[authority.index(after: colon)...]
        } else {
            host = try Self.name(authority, address: address)
            portText = nil
        }
        port = try Self.port(portText, scheme: scheme, address: address)
        path = Self.prefix(pathText)

        let system = systemID?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if system.isEmpty {
            self.systemID = nil
        } else {
            guard
                !system.unicodeScalars.contains(where: {
                    $0.properties.isWhitespace || $0.value < 0x20 || "/?#".unicodeScalars.contains($0)
                })
            else {
                throw BMCIdentityError(
                    address, "the system id `\(system)` is not one path segment (no `/`, `?`, `#` or spaces)")
            }
            self.systemID = system
        }
    }

    /// The canonical string: `https://10.0.0.5:443`, `http://127.0.0.1:8000/bmc/3`, `https://[::1]:8443`, with
    /// `#<system id>` when there is one (`https://10.0.0.5:443#System.Embedded.1`). Equal keys, equal identities.
    public var key: String { "\(scheme)://\(host):\(port)\(path)" + (systemID.map { "#\($0)" } ?? "") }

    /// The BMC as a whole (this identity without its system id).
    public var bmc: BMCIdentity { BMCIdentity(scheme: scheme, host: host, port: port, path: path, systemID: nil) }

    /// The key.
    public var description: String { key }

    /// Ordered by key.
    public static func < (lhs: BMCIdentity, rhs: BMCIdentity) -> Bool { lhs.key < rhs.key }

    private init(scheme: String, host: String, port: Int, path: String, systemID: String?) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.systemID = systemID
    }

    // MARK: Parts

    /// A hostname (lowercased, trailing dot removed) or an IPv4 address (dotted decimal, as `inet_ntop` writes it).
    private static func name(_ text: Substring, address: String) throws(BMCIdentityError) -> String {
        var name = text.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty else { throw BMCIdentityError(address, "it names no host") }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        // A last label of digits is an IPv4 address (a name cannot end in one), and must be a whole one.
        if let last = labels.last, !last.isEmpty, last.allSatisfy(\.isASCII), last.allSatisfy(\.isNumber) {
            var v4 = in_addr()
            guard inet_pton(AF_INET, name, &v4) == 1 else {
                throw BMCIdentityError(
                    address, "`\(text)` is not an IPv4 address (four numbers 0-255, no zeros in front)")
            }
            var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            guard inet_ntop(AF_INET, &v4, &buffer, socklen_t(buffer.count)) != nil else {
                throw BMCIdentityError(address, "`\(text)` is not an IPv4 address")
            }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        guard name.utf8.count <= 253,
            labels.allSatisfy({ label in
                !label.isEmpty && label.utf8.count <= 63
                    && label.unicodeScalars.allSatisfy {
                        ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
                    }
            })
        else {
            throw BMCIdentityError(
                address, "`\(text)` is not a hostname (letters, digits, `-` and `_` in dot-separated labels)")
        }
        return name
    }

    /// An IPv6 address (with an optional zone, `%eth0` or URL-encoded `%25eth0`) in brackets, compressed.
    private static func ipv6(_ text: Substring, address: String) throws(BMCIdentityError) -> String {
        let parts = text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false)
        var zone = parts.count > 1 ? parts[1] : nil
        if let given = zone, given.hasPrefix("25"), given.count > 2 { zone = given.dropFirst(2) }
        if let zone {
            guard !zone.isEmpty,
                zone.unicodeScalars.allSatisfy({
                    ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                        || "-._~".unicodeScalars.contains($0)
                })
            else {
                throw BMCIdentityError(address, "`\(zone)` is not an IPv6 zone (an interface name)")
            }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, String(parts[0]), &v6) == 1 else {
            throw BMCIdentityError(address, "`\(parts[0])` is not an IPv6 address")
        }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count)) != nil else {
            throw BMCIdentityError(address, "`\(parts[0])` is not an IPv6 address")
        }
        let compressed = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "[" + compressed.lowercased() + (zone.map { "%25\($0)" } ?? "") + "]"
    }

    /// The port given (digits, 1 to 65535), or the scheme's default when none (or an empty one) is.
    private static func port(_ text: Substring?, scheme: String, address: String) throws(BMCIdentityError) -> Int {
        guard let text, !text.isEmpty else { return scheme == "http" ? 80 : 443 }
        guard text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(text),
            (1...65535).contains(port)
        else {
            throw BMCIdentityError(address, "the port `\(text)` is not a number from 1 to 65535")
        }
        return port
    }

    /// The path up to (not including) a `redfish/v1` segment pair, without empty segments: `/bmc/3`, or "".
    private static func prefix(_ text: Substring) -> String {
        let segments = text.split(separator: "/")
        var kept = segments[...]
        if let redfish = segments.indices.first(where: { index in
            segments[index].lowercased() == "redfish"
                && (index + 1 == segments.count || segments[index + 1].lowercased() == "v1")
        }) {
            kept = segments[..<redfish]
        }
        return kept.isEmpty ? "" : "/" + kept.joined(separator: "/")
    }
}

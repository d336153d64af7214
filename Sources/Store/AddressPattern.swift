#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One address a credential may be used against: an IPv4 or IPv6 network (`10.1.0.0/16`, `fd00:1::/48`), a single
/// IP (`10.1.2.3`, `::1`), a hostname (`bmc1.rack1.example`) or a hostname glob (`bmc-*.rack1.example`).
///
/// Matching is literal, never through DNS: an IP-literal host matches only IP and network patterns, a hostname only
/// hostname patterns (so a name that resolves into an allowed network is still refused, and an allowed name cannot
/// be pointed elsewhere by an address). Hostnames compare case-insensitively, without a trailing dot; `*` stands
/// for any run of characters within one label (it never matches a dot). Ports are not part of a pattern: a
/// credential allowed for a host is allowed on any of its ports.
public enum AddressPattern: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 network: its first address and prefix length (32: one address).
    case ipv4(network: UInt32, prefix: Int)
    /// An IPv6 network: its first address (16 bytes) and prefix length (128: one address).
    case ipv6(network: [UInt8], prefix: Int)
    /// A hostname or glob, lowercased, without a trailing dot.
    case hostname(String)

    /// Parses `text`, or says what is wrong with it.
    public init(_ text: String) throws(AddressPatternError) {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else { throw AddressPatternError(text, "it is empty") }
        if trimmed.contains("://") {
            throw AddressPatternError(text, "give a host, an address or a network, not a URL")
        }
        if let slash = trimmed.firstIndex(of: "/") {
            let address = String(trimmed[..<slash])
            let prefixText = String(trimmed[trimmed.index(after: slash)...])
            guard let prefix = Int(prefixText), String(prefix) == prefixText else {
                throw AddressPatternError(text, "`\(prefixText)` is not a prefix length")
            }
            if let v4 = Self.ipv4(address) {
                guard (0...32).contains(prefix) else { throw AddressPatternError(text, "an IPv4 prefix is 0 to 32") }
                let masked = v4 & Self.mask32(prefix)
                guard masked == v4 else {
                    throw AddressPatternError(
                        text, "it has host bits set; the network is \(AddressRange.format(masked))/\(prefix)")
                }
                self = .ipv4(network: v4, prefix: prefix)
                return
            }
            if let v6 = Self.ipv6(address) {
                guard (0...128).contains(prefix) else { throw AddressPatternError(text, "an IPv6 prefix is 0 to 128") }
                let masked = Self.masked(v6, prefix)
                guard masked == v6 else {
                    throw AddressPatternError(
                        text, "it has host bits set; the network is \(Self.formatIPv6(masked))/\(prefix)")
                }
                self = .ipv6(network: v6, prefix: prefix)
                return
            }
            throw AddressPatternError(text, "`\(address)` is not an IPv4 or IPv6 address")
        }
        if let v4 = Self.ipv4(trimmed) {
            self = .ipv4(network: v4, prefix: 32)
            return
        }
        let bare = trimmed.hasPrefix("[") && trimmed.hasSuffix("]") ? String(trimmed.dropFirst().dropLast()) : trimmed
        if let v6 = Self.ipv6(bare) {
            self = .ipv6(network: v6, prefix: 128)
            return
        }
        if trimmed.contains(":") {
            throw AddressPatternError(text, "ports are not part of a binding (give the host alone)")
        }
        guard let name = Self.hostname(trimmed, allowingGlob: true) else {
            throw AddressPatternError(
                text,
                "it is not an IP address, a network (CIDR) or a hostname (letters, digits, `-`, `_`, `*` in "
                    + "dot-separated labels, not ending in a number)")
        }
        self = .hostname(name)
    }

    /// The pattern as it is stored and shown (`10.1.0.0/16`, `10.1.2.3`, `fd00::/8`, `bmc-*.rack1.example`).
    public var description: String {
        switch self {
        case .ipv4(let network, 32): AddressRange.format(network)
        case .ipv4(let network, let prefix): "\(AddressRange.format(network))/\(prefix)"
        case .ipv6(let network, 128): Self.formatIPv6(network)
        case .ipv6(let network, let prefix): "\(Self.formatIPv6(network))/\(prefix)"
        case .hostname(let name): name
        }
    }

    /// Whether `host` (as a URL gives it: `10.0.0.5`, `::1` or `[::1]`, `bmc1.rack1.example`) is this pattern's.
    public func matches(host: String) -> Bool {
        switch (self, Host(host)) {
        case (.ipv4(let network, let prefix), .ipv4(let address)):
            return address & Self.mask32(prefix) == network & Self.mask32(prefix)
        case (.ipv4(let network, let prefix), .ipv6(let address)):
            // An IPv4-mapped IPv6 address (::ffff:10.0.0.5) is that IPv4 address.
            guard address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xFF, address[11] == 0xFF else {
                return false
            }
            let v4 = address[12...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return v4 & Self.mask32(prefix) == network & Self.mask32(prefix)
        case (.ipv6(let network, let prefix), .ipv6(let address)):
            return Self.masked(address, prefix) == Self.masked(network, prefix)
        case (.ipv6(let network, let prefix), .ipv4(let address)):
            let mapped =
                [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + (0..<4).map { UInt8(address >> (24 - 8 * $0) & 0xFF) }
            return Self.masked(mapped, prefix) == Self.masked(network, prefix)
        case (.hostname(let pattern), .hostname(let name)):
            return Self.glob(pattern, matches: name)
        default:
            return false
        }
    }

    /// A host as matching sees it: an IP literal, a hostname, or something that is neither (matches nothing).
    enum Host {
        case ipv4(UInt32), ipv6([UInt8]), hostname(String), invalid

        init(_ text: String) {
            var bare = text.trimmingSpaces()
            if bare.hasPrefix("[") && bare.hasSuffix("]") { bare = String(bare.dropFirst().dropLast()) }
            if let v4 = AddressPattern.ipv4(bare) {
                self = .ipv4(v4)
            } else if let v6 = AddressPattern.ipv6(
                bare.split(separator: "%", maxSplits: 1).first.map(String.init) ?? "")
            {
                self = .ipv6(v6)
            } else if let name = AddressPattern.hostname(bare, allowingGlob: false) {
                self = .hostname(name)
            } else {
                self = .invalid
            }
        }
    }

    // MARK: Parsing

    static func ipv4(_ text: String) -> UInt32? { AddressRange.parse(text) }

    static func ipv6(_ text: String) -> [UInt8]? {
        guard text.contains(":"), !text.contains("%") else { return nil }
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    /// `text` as a lowercased hostname without its trailing dot; nil when it is not one. A last label made of
    /// digits (or `0x…`) is refused: resolvers read such names as IPv4 addresses in odd forms (`167772165`,
    /// `10.1`, `0x0a.0.0.5`), which literal matching must not mistake for names.
    static func hostname(_ text: String, allowingGlob: Bool) -> String? {
        var name = text.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty, name.utf8.count <= 253 else { return nil }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty, label.utf8.count <= 63,
                label.unicodeScalars.allSatisfy({
                    ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
                        || (allowingGlob && $0 == "*")
                })
            else { return nil }
        }
        let last = labels.last!
        if last.allSatisfy(\.isNumber) || last.hasPrefix("0x") { return nil }
        return name
    }

    /// Whether `name` matches `pattern`, label by label; `*` matches any run of characters within a label.
    static func glob(_ pattern: String, matches name: String) -> Bool {
        let patternLabels = pattern.split(separator: ".", omittingEmptySubsequences: false)
        let nameLabels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard patternLabels.count == nameLabels.count else { return false }
        return zip(patternLabels, nameLabels).allSatisfy { globLabel(Array($0.utf8), Array($1.utf8)) }
    }

    private static func globLabel(_ pattern: [UInt8], _ name: [UInt8]) -> Bool {
        // Iterative wildcard matching with backtracking to the last `*`.
        var p = 0
        var n = 0
        var star: Int?
        var resume = 0
        let asterisk = UInt8(ascii: "*")
        while n < name.count {
            if p < pattern.count, pattern[p] != asterisk, pattern[p] == name[n] {
                p += 1
                n += 1
            } else if p < pattern.count, pattern[p] == asterisk {
                star = p
                resume = n
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                n = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == asterisk { p += 1 }
        return p == pattern.count
    }

    static func mask32(_ prefix: Int) -> UInt32 { prefix == 0 ? 0 : ~(UInt32.max >> UInt32(prefix)) }

    static func masked(_ address: [UInt8], _ prefix: Int) -> [UInt8] {
        address.indices.map { index in
            let bits = max(0, min(8, prefix - index * 8))
            return bits == 0 ? 0 : address[index] & ~(UInt8.max >> UInt8(bits))
        }
    }

    static func formatIPv6(_ address: [UInt8]) -> String {
        var copy = in6_addr()
        withUnsafeMutableBytes(of: &copy) { $0.copyBytes(from: address) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &copy, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}

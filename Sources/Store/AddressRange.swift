/// IPv4 ranges for BMC address pools: `10.0.0.10-10.0.0.50`, `10.0.1.0/28` (network and broadcast left out), or
/// one address.
public enum AddressRange {
    /// The addresses of `ranges` less `exclusions`, in order, as 32-bit numbers.
    public static func addresses(ranges: [String], exclusions: [String]) throws(StoreError) -> [UInt32] {
        var excluded = Set<UInt32>()
        for exclusion in exclusions { for value in try expand(exclusion, dropEnds: false) { excluded.insert(value) } }
        var seen = Set<UInt32>()
        var result: [UInt32] = []
        for range in ranges {
            for value in try expand(range, dropEnds: true)
            where !excluded.contains(value) && seen.insert(value).inserted {
                result.append(value)
            }
        }
        return result
    }

    static func expand(_ text: String, dropEnds: Bool) throws(StoreError) -> [UInt32] {
        let trimmed = text.split(separator: " ").joined()
        if let slash = trimmed.firstIndex(of: "/") {
            guard let base = parse(String(trimmed[..<slash])), let bits = Int(trimmed[trimmed.index(after: slash)...]),
                (8...32).contains(bits)
            else { throw StoreError("`\(text)` is not an IPv4 CIDR such as 10.0.1.0/28 (prefix 8 to 32)") }
            let mask: UInt32 = bits == 32 ? .max : ~(UInt32.max >> UInt32(bits))
            let first = base & mask
            let last = first | ~mask
            if bits >= 31 || !dropEnds { return Array(first...last) }
            return Array((first + 1)...(last - 1))
        }
        if let dash = trimmed.firstIndex(of: "-") {
            guard let start = parse(String(trimmed[..<dash])),
                let end = parse(String(trimmed[trimmed.index(after: dash)...])), start <= end
            else { throw StoreError("`\(text)` is not an IPv4 range such as 10.0.0.10-10.0.0.50") }
            guard end - start < 1 << 20 else { throw StoreError("`\(text)` is more than a million addresses") }
            return Array(start...end)
        }
        guard let single = parse(trimmed) else { throw StoreError("`\(text)` is not an IPv4 address, range or CIDR") }
        return [single]
    }

    /// `10.0.0.5` → its 32-bit value.
    public static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let octet = UInt8(part), String(octet) == part else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    /// A 32-bit value → `10.0.0.5`.
    public static func format(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }
}

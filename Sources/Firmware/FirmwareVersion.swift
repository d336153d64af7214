import Foundation

/// A firmware version string as a vendor writes it, parsed so that two versions of one component can be compared.
///
/// Understood forms: dotted numbers (Supermicro BIOS `3.5`, BMC `1.73.14`, Dell `2.12.0`, iDRAC `4.40.40.00`, iLO
/// `2.78`) and a family before the number (HPE BIOS `U30 v2.54 (01/2025)`, `U30_v2.54`, `U30v2.54`, `P40 2.78`, iLO
/// `iLO 5 2.82`).
/// A trailing parenthesised date is ignored. Numbers compare numerically (`1.74.06` > `1.73.14`). Two versions of
/// different families (`U30` against `U34`) do not compare, and neither does anything else: an unparseable version
/// is `unknown`, never newer.
public struct FirmwareVersion: Sendable, Hashable, CustomStringConvertible {
    /// The string as written.
    public let raw: String
    /// The family before the number (`U30`, `iLO 5`), lower case; empty when there is none.
    public let family: String
    /// The numeric parts; nil when the string has no version this type understands.
    public let numbers: [Int]?

    /// Parses `raw`.
    public init(_ raw: String) {
        self.raw = raw
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasSuffix(")"), let open = text.lastIndex(of: "(") {
            text = String(text[..<open]).trimmingCharacters(in: .whitespaces)
        }
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "_" }).map(String.init)
        // `U30v2.60`: the family and the number written together.
        if let joined = tokens.last, let v = joined.lastIndex(where: { $0 == "v" || $0 == "V" }),
            v != joined.startIndex, joined[..<v].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
            joined[joined.index(after: v)...].first?.isNumber == true
        {
            tokens[tokens.count - 1] = String(joined[..<v])
            tokens.append(String(joined[v...]))
        }
        guard var last = tokens.last else {
            family = ""
            numbers = nil
            return
        }
        if last.first == "v" || last.first == "V" { last.removeFirst() }
        let parts = last.split(separator: ".", omittingEmptySubsequences: false)
        let parsed = parts.map { part in part.allSatisfy(\.isASCII) ? Int(part) : nil }
        if parts.isEmpty || parsed.contains(where: { $0 == nil }) {
            numbers = nil
        } else {
            numbers = parsed.map { $0! }
        }
        family = tokens.dropLast().joined(separator: " ").lowercased()
    }

    /// The string as written.
    public var description: String { raw }

    /// Whether the version could be read.
    public var isKnown: Bool { numbers != nil }

    /// How `self` compares to `other`: nil when either is unknown or their families differ.
    public func compare(to other: FirmwareVersion) -> ComparisonResult? {
        guard let left = numbers, let right = other.numbers else { return nil }
        if !family.isEmpty, !other.family.isEmpty, family != other.family { return nil }
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            if a != b { return a < b ? .orderedAscending : .orderedDescending }
        }
        return .orderedSame
    }

    /// True only when `self` is known to be newer than `other`.
    public func isNewer(than other: FirmwareVersion) -> Bool { compare(to: other) == .orderedDescending }

    /// True only when both are known and equal.
    public func isSame(as other: FirmwareVersion) -> Bool { compare(to: other) == .orderedSame }
}

/// BIOS settings never to overwrite (MAC addresses, serials, timings): glob patterns such as `mac_address_*`.
public struct PreserveList: Sendable, Hashable, Codable {
    /// The patterns; `*` matches any run of characters, `?` one character; matching ignores case.
    public var patterns: [String]

    /// Creates a list.
    public init(patterns: [String] = []) {
        self.patterns = patterns
    }

    /// The first pattern that matches `setting`, if any.
    public func pattern(matching setting: String) -> String? {
        let name = Array(setting.lowercased())
        return patterns.first { Self.glob(Array($0.lowercased()), matches: name) }
    }

    /// True when `setting` must be left as it is.
    public func preserves(_ setting: String) -> Bool {
        pattern(matching: setting) != nil
    }

    /// Iterative glob match with backtracking on the last `*` (linear in practice, no recursion).
    static func glob(_ pattern: [Character], matches text: [Character]) -> Bool {
        var p = 0
        var t = 0
        var star: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

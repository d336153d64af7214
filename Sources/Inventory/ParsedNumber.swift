/// Conversions of numbers read from tool output and BMC answers that never trap: what is not a sensible value
/// (negative, not finite, out of range, or an overflowing sum) becomes nil, which the parsers treat as unknown.
enum ParsedNumber {
    /// The largest count accepted (sockets, cores, threads, slots): far above any server, far below overflow.
    static let countLimit = 1 << 24

    /// A count written as text (`Core Count: 32`): a whole number in `0...countLimit`.
    static func count(_ text: (some StringProtocol)?) -> Int? {
        guard let text, let value = Int(text) else { return nil }
        return (0...countLimit).contains(value) ? value : nil
    }

    /// A count read as a number (Redfish `TotalCores`), in `0...countLimit`.
    static func count(_ value: Int?) -> Int? {
        guard let value, (0...countLimit).contains(value) else { return nil }
        return value
    }

    /// `value` truncated to a whole number, when it is finite, not negative and fits an `Int`.
    static func whole(_ value: Double?) -> Int? {
        guard let value, value.isFinite, value >= 0 else { return nil }
        return Int(exactly: value.rounded(.towardZero))
    }

    /// A size in bytes: finite, above zero, and below `Int64.max`.
    static func bytes(_ value: Double?) -> Int64? {
        guard let value, value.isFinite, value > 0 else { return nil }
        return Int64(exactly: value.rounded(.towardZero))
    }

    /// A finite, non-negative measure (GiB, MHz before conversion).
    static func measure(_ value: Double?) -> Double? {
        guard let value, value.isFinite, value >= 0 else { return nil }
        return value
    }

    /// The sum of `values`, or nil when it overflows.
    static func sum(_ values: [Int]) -> Int? {
        var total = 0
        for value in values {
            let (next, overflow) = total.addingReportingOverflow(value)
            if overflow { return nil }
            total = next
        }
        return total
    }

    /// `a × b`, or nil when it overflows.
    static func product(_ a: Int, _ b: Int) -> Int? {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : result
    }
}

import Foundation

/// What the OpenAPI document says a query parameter takes, to name the one a request got wrong (the generated
/// decoder reports a bad query value without its name).
struct QueryParameterRule: Sendable, Hashable {
    /// What the value must be.
    enum Kind: Sendable, Hashable {
        /// An integer, within the bounds the document gives.
        case integer(minimum: Int?, maximum: Int?)
        /// One of these strings.
        case oneOf([String])
        /// Any text.
        case text
    }

    var name: String
    var kind: Kind

    /// The rule of a parameter object of the document (`{"name": …, "in": "query", "schema": {…}}`); nil for other
    /// places.
    init?(_ parameter: [String: Any]) {
        guard parameter["in"] as? String == "query", let name = parameter["name"] as? String else { return nil }
        self.name = name
        let schema = parameter["schema"] as? [String: Any] ?? [:]
        if let values = schema["enum"] as? [String] {
            kind = .oneOf(values)
        } else if schema["type"] as? String == "integer" {
            kind = .integer(minimum: schema["minimum"] as? Int, maximum: schema["maximum"] as? Int)
        } else {
            kind = .text
        }
    }

    /// Why `value` is not what the parameter takes, as a person reads it; nil when it is.
    func problem(with value: String) -> String? {
        switch kind {
        case .integer(let minimum, let maximum):
            guard let number = Int(value), number >= minimum ?? .min, number <= maximum ?? .max else {
                return "query parameter `\(name)` must be an integer" + bounds
            }
            return nil
        case .oneOf(let values):
            return values.contains(value)
                ? nil : "query parameter `\(name)` must be one of \(values.joined(separator: ", "))"
        case .text:
            return nil
        }
    }

    private var bounds: String {
        guard case .integer(let minimum, let maximum) = kind else { return "" }
        switch (minimum, maximum) {
        case (let low?, let high?): return " from \(low) to \(high)"
        case (let low?, nil): return " of at least \(low)"
        case (nil, let high?): return " of at most \(high)"
        case (nil, nil): return ""
        }
    }
}

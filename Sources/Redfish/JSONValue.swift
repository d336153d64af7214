import Foundation

/// A JSON document of unknown shape (Redfish resources, tool output), with tolerant accessors.
public enum JSONValue: Sendable, Hashable, Codable {
    /// `null`.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// Any number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])

    /// Parses `data`; throws `JSONValue.ParseError` with the parser's reason when it is not JSON.
    public static func parse(_ data: Data) throws(ParseError) -> JSONValue {
        let result = data.withUnsafeBytes { raw in
            Result { () throws(ParseError) -> JSONValue in try JSONParser.parse(raw.bindMemory(to: UInt8.self)) }
        }
        return try result.get()
    }

    /// Parses text.
    public static func parse(_ text: String) throws(ParseError) -> JSONValue {
        try parse(Data(text.utf8))
    }

    /// Why text was not JSON.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        /// The reason.
        public var reason: String
        /// The reason.
        public var description: String { reason }
    }

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            // Containers: an out-of-range number inside is reported where it is, not as a type mismatch here.
            switch (Result { try container.decode([JSONValue].self) }) {
            case .success(let value):
                self = .array(value)
                return
            case .failure(let error) where Self.isOutOfRange(error): throw error
            case .failure: break
            }
            switch (Result { try container.decode([String: JSONValue].self) }) {
            case .success(let value):
                self = .object(value)
                return
            case .failure(let error) where Self.isOutOfRange(error): throw error
            case .failure: break
            }
            // Every JSON value decodes above except a number no Double holds (`1e400`).
            let path = decoder.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\(Self.outOfRange) at $\(path)")
        }
    }

    private static let outOfRange = "a number out of range (beyond ±1.8e308)"

    private static func isOutOfRange(_ error: any Error) -> Bool {
        guard case DecodingError.dataCorrupted(let context) = error else { return false }
        return context.debugDescription.hasPrefix(outOfRange)
    }

    /// Encodes the value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if abs(value) < 1e15, let whole = Int64(exactly: value) {
                try container.encode(whole)
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The member `key` of an object; `.null` otherwise.
    public subscript(key: String) -> JSONValue {
        if case .object(let object) = self { return object[key] ?? .null }
        return .null
    }

    /// Whether a BIOS setting's value is `other` as BMCs echo values back: compared as text, ignoring case (`Enabled`
    /// = `enabled`, `3` = 3, `false` = `False`, as sushy-tools stores it).
    public func isSameSetting(as other: JSONValue) -> Bool {
        guard let text = string, let otherText = other.string else { return self == other }
        return text.lowercased() == otherText.lowercased()
    }

    /// A string, or a number or bool written as text (whole numbers that fit 64 bits without a fraction, others as
    /// Swift writes a `Double`: `1e+300`).
    public var string: String? {
        switch self {
        case .string(let value): return value
        case .number(let value): return Int64(exactly: value).map { String($0) } ?? String(value)
        case .bool(let value): return String(value)
        default: return nil
        }
    }

    /// A finite number, or a string holding one; nil for anything else (`"inf"`, `"nan"`, `"1e400"` included).
    public var double: Double? {
        let value: Double?
        switch self {
        case .number(let number): value = number
        case .string(let text): value = Double(text.trimmingCharacters(in: .whitespaces))
        default: value = nil
        }
        guard let value, value.isFinite else { return nil }
        return value
    }

    /// A whole number, or a string holding one.
    public var int: Int? {
        double.flatMap { Int(exactly: $0) }
    }

    /// A bool, or `0`/`1`/`"true"`/`"false"`.
    public var bool: Bool? {
        switch self {
        case .bool(let value): return value
        case .number(let value): return value != 0
        case .string(let value):
            switch value.lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// The elements of an array; empty otherwise.
    public var array: [JSONValue] {
        if case .array(let value) = self { return value }
        return []
    }

    /// The members of an object, when it is one.
    public var object: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// True for `null` (and for a missing member).
    public var isNull: Bool { self == .null }
}

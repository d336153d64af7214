import Catalog
import Redfish

/// One attribute as an AttributeRegistry describes it.
public struct RegistryAttribute: Sendable, Hashable {
    /// One allowed value of an enumeration.
    public struct Value: Sendable, Hashable {
        /// What goes on the wire (`ValueName`).
        public var name: String
        /// What people see (`ValueDisplayName`), when the registry says.
        public var displayName: String?

        /// Creates a value.
        public init(name: String, displayName: String? = nil) {
            self.name = name
            self.displayName = displayName
        }
    }

    /// A condition on another attribute (`MapFrom` of a registry dependency).
    public struct Condition: Sendable, Hashable {
        /// The attribute looked at.
        public var attribute: String
        /// `EQU`, `NEQ`, `GTR`, `GEQ`, `LSS`, `LEQ`.
        public var comparison: String
        /// The value compared with.
        public var value: JSONValue

        /// Whether `attributes` (the values the attribute would have after the planned changes) meet it.
        public func holds(in attributes: [String: JSONValue]) -> Bool {
            guard let actual = attributes[attribute] else { return false }
            switch comparison {
            case "EQU": return BIOSPlanner.same(actual, value)
            case "NEQ": return !BIOSPlanner.same(actual, value)
            default:
                guard let left = actual.double ?? actual.string.flatMap(Double.init),
                    let right = value.double ?? value.string.flatMap(Double.init)
                else { return false }
                switch comparison {
                case "GTR": return left > right
                case "GEQ": return left >= right
                case "LSS": return left < right
                case "LEQ": return left <= right
                default: return false
                }
            }
        }
    }

    /// `Enumeration`, `Integer`, `String`, `Boolean`.
    public var type: String
    /// Allowed values of an enumeration (their `ValueName`s).
    public var allowed: [String]
    /// Whether it may not be changed.
    public var readOnly: Bool
    /// Integer bounds.
    public var lower: Int?
    /// Integer bounds.
    public var upper: Int?
    /// What people see (`DisplayName`), when the registry says.
    public var displayName: String?
    /// Allowed values with their display names.
    public var values: [Value]
    /// Sets of conditions under which it is read-only (a registry `Map` dependency setting `ReadOnly` or `GrayOut`
    /// to true): any set whose conditions all hold makes it read-only.
    public var readOnlyWhen: [[Condition]]
    /// String length bounds.
    public var minLength: Int?
    /// String length bounds.
    public var maxLength: Int?

    /// Creates an attribute.
    public init(
        type: String, allowed: [String], readOnly: Bool, lower: Int? = nil, upper: Int? = nil,
        displayName: String? = nil, values: [Value]? = nil, readOnlyWhen: [[Condition]] = [], minLength: Int? = nil,
        maxLength: Int? = nil
    ) {
        self.type = type
        self.allowed = allowed
        self.readOnly = readOnly
        self.lower = lower
        self.upper = upper
        self.displayName = displayName
        self.values = values ?? allowed.map { Value(name: $0) }
        self.readOnlyWhen = readOnlyWhen
        self.minLength = minLength
        self.maxLength = maxLength
    }

    /// Reads `RegistryEntries.Attributes` and the simple `Map` dependencies of `RegistryEntries.Dependencies` (those
    /// that make an attribute `ReadOnly` or `GrayOut` when other attributes have some values) of a registry document.
    public static func parse(_ registry: JSONValue) -> [String: RegistryAttribute] {
        var result: [String: RegistryAttribute] = [:]
        for entry in registry["RegistryEntries"]["Attributes"].array {
            guard let name = entry["AttributeName"].string else { continue }
            let values = entry["Value"].array.compactMap { value in
                value["ValueName"].string.map { Value(name: $0, displayName: value["ValueDisplayName"].string) }
            }
            result[name] = RegistryAttribute(
                type: entry["Type"].string ?? "String", allowed: values.map(\.name),
                readOnly: entry["ReadOnly"].bool ?? false, lower: entry["LowerBound"].int,
                upper: entry["UpperBound"].int, displayName: entry["DisplayName"].string, values: values,
                minLength: entry["MinLength"].int, maxLength: entry["MaxLength"].int)
        }
        for dependency in registry["RegistryEntries"]["Dependencies"].array where dependency["Type"].string == "Map" {
            let map = dependency["Dependency"]
            guard let target = map["MapToAttribute"].string, result[target] != nil,
                ["ReadOnly", "GrayOut"].contains(map["MapToProperty"].string ?? ""), map["MapToValue"].bool == true
            else { continue }
            let terms = map["MapFrom"].array
            let conditions = terms.compactMap { term -> Condition? in
                guard let attribute = term["MapFromAttribute"].string,
                    (term["MapFromProperty"].string ?? "CurrentValue") == "CurrentValue"
                else { return nil }
                return Condition(
                    attribute: attribute, comparison: term["MapFromCondition"].string ?? "EQU",
                    value: term["MapFromValue"])
            }
            guard !conditions.isEmpty, conditions.count == terms.count else { continue }
            if terms.contains(where: { $0["MapTerms"].string == "OR" }) {
                result[target]!.readOnlyWhen += conditions.map { [$0] }
            } else {
                result[target]!.readOnlyWhen.append(conditions)
            }
        }
        return result
    }
}

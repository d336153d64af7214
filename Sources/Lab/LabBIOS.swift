import Inventory
import Redfish

/// The BIOS a lab server's BMC serves: its attributes in the vendor's own names, display names and value names, the
/// registry's dependencies, and the registry's identity, which carries the BIOS version (a newer BIOS serves another
/// registry, the way real BMCs do: clients cache registries per vendor, model and BIOS version).
///
/// - HPE (iLO 5/6 names): `LabBIOS+HPE.swift`. - Dell (iDRAC 9 names): `LabBIOS+Dell.swift`.
/// - Supermicro (AttributeNames from the setup menu's text, DisplayNames the menu text): `LabBIOS+Supermicro.swift`.
/// - Generic and Lenovo profiles: the generic names (`BIOSAttribute.genericDefaults`).
///
/// Where a vendor's real BIOS has no attribute for a setting the catalog's device types of that vendor want (their
/// legacy templates were written as Supermicro BiosCfg files), the lab adds one in the vendor's style and says so in
/// its `HelpText` ("Lab only"); the catalog's real dialects (`hpe-ilo5`, `dell-idrac9`) keep those settings
/// unresolved, its lab dialects (`lab-hpe`, `lab-dell`, `lab-supermicro`) name them.
public struct LabBIOS: Sendable {
    /// A registry dependency: `target` is read-only while `attribute` compares with `value` (`EQU`, `NEQ`).
    public struct Dependency: Sendable, Hashable {
        /// The attribute made read-only.
        public var target: String
        /// The attribute looked at.
        public var attribute: String
        /// `EQU` or `NEQ`.
        public var condition: String
        /// The value compared with.
        public var value: String

        /// Whether the dependency makes `target` read-only given `values` (the values in force after a change).
        public func holds(in values: [String: JSONValue]) -> Bool {
            let actual = values[attribute]?.string
            return condition == "EQU" ? actual == value : actual != value
        }

        /// The registry's `Dependencies` entry (AttributeRegistry v1.x `Map`).
        var registryEntry: JSONValue {
            .object([
                "DependencyFor": .string(target), "Type": .string("Map"),
                "Dependency": .object([
                    "MapFrom": .array([
                        .object([
                            "MapFromAttribute": .string(attribute), "MapFromCondition": .string(condition),
                            "MapFromProperty": .string("CurrentValue"), "MapFromValue": .string(value),
                        ])
                    ]),
                    "MapToAttribute": .string(target), "MapToProperty": .string("ReadOnly"),
                    "MapToValue": .bool(true),
                ]),
            ])
        }
    }

    /// The registry's `Id` and its file's name in `Registries` (`BiosAttributeRegistryU30.v1_2_54`).
    public var registryID: String
    /// The registry's `RegistryVersion`.
    public var registryVersion: String
    /// The registry's `OwningEntity`.
    public var owningEntity: String
    /// The attributes, in menu order.
    public var attributes: [BIOSAttribute]
    /// The dependencies.
    public var dependencies: [Dependency]

    /// The BIOS of `server` as a BMC of `profile` serves it.
    public static func of(_ server: ServerModel, profile: SimulatedBMC.Profile) -> LabBIOS {
        switch profile {
        case .hpe: return hpe(server)
        case .dell: return dell(server)
        case .supermicro: return supermicro(server)
        case .generic, .lenovo:
            return LabBIOS(
                registryID: "BiosAttributeRegistry.v1_0_0", registryVersion: "1.0.0",
                owningEntity: "HWAutomation Lab",
                attributes: BIOSAttribute.genericDefaults(memoryGiB: server.memoryGiB),
                dependencies: [])
        }
    }

    /// Why writing `values` (names → values, the values in force after the write in `after`) is refused by a
    /// dependency, or nil.
    public func dependencyProblem(writing values: [String: JSONValue], after: [String: JSONValue]) -> String? {
        for name in values.keys.sorted() {
            if let blocking = dependencies.first(where: { $0.target == name && $0.holds(in: after) }) {
                let relation = blocking.condition == "EQU" ? "is" : "is not"
                return "\(name) is read-only while \(blocking.attribute) \(relation) \(blocking.value)"
            }
        }
        return nil
    }

    /// The registry document (English).
    func registry(productName: String, biosVersion: String) -> JSONValue {
        .object([
            "Id": .string(registryID), "Name": .string("BIOS Attribute Registry"),
            "RegistryVersion": .string(registryVersion), "Language": .string("en"),
            "OwningEntity": .string(owningEntity),
            "SupportedSystems": .array([
                .object([
                    // SystemId is letters and digits only (AttributeRegistry's pattern).
                    "ProductName": .string(productName),
                    "SystemId": .string(String(productName.filter { $0.isASCII && ($0.isLetter || $0.isNumber) })),
                    "FirmwareVersion": .string(biosVersion),
                ])
            ]),
            "RegistryEntries": .object([
                "Attributes": .array(attributes.map(\.registryEntry)),
                "Dependencies": .array(dependencies.map(\.registryEntry)),
            ]),
        ])
    }

    /// `major.minor` of a version string's first dotted number (`U30 v2.54 (01/2025)` → 2.54, `1.13.2` → 1.13).
    static func versionNumber(_ version: String) -> Double {
        let digits = version.split(whereSeparator: { !($0.isNumber || $0 == ".") }).first { $0.contains(".") }
        let parts = (digits ?? "0").split(separator: ".").prefix(2).map { Int($0) ?? 0 }
        return Double(parts.first ?? 0) + Double(parts.count > 1 ? parts[1] : 0) / 100
    }

    /// A BIOS version as a registry version of three numbers (`1.13.2` stays, `U30 v2.54 (01/2025)` → `1.2.54`).
    static func registryVersion(_ version: String) -> String {
        let digits = version.split(whereSeparator: { !($0.isNumber || $0 == ".") }).first { $0.contains(".") }
        var parts = (digits ?? "1.0").split(separator: ".").map { String(Int($0) ?? 0) }
        while parts.count < 3 { parts.insert("1", at: 0) }
        return parts.prefix(3).joined(separator: ".")
    }
}

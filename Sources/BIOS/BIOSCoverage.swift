import Catalog
import Redfish

/// How much of a device type's desired BIOS state one vendor dialect covers, worked out offline from the catalog:
/// the dialect's registry is stood in for by its mapped names (and, for dialects whose display names are the setup
/// menu's, by the settings' menu names), and the planner resolves every setting against it as it would on a BMC.
public struct BIOSCoverage: Sendable, Hashable, Codable {
    /// The device type.
    public var deviceType: String
    /// Its vendor.
    public var vendor: String
    /// The dialect (`hpe-ilo5`, `lab`).
    public var dialect: String
    /// Settings that resolve over Redfish (by AttributeName, DisplayName or the dialect map).
    public var redfish: [String]
    /// Settings that go to the vendor tool, with the tool (`TurboMode (sum)`).
    public var vendorTool: [String]
    /// Settings with no name on this dialect, with the dialect's note when it has one.
    public var unresolved: [String]
    /// Settings the preserve list protects.
    public var preserved: [String]

    enum CodingKeys: String, CodingKey {
        case deviceType = "device_type"
        case vendor, dialect, redfish
        case vendorTool = "vendor_tool"
        case unresolved, preserved
    }

    /// Coverage of every device type (of `vendor`, when given) by every dialect of its vendor, in type then dialect
    /// order.
    public static func report(catalog: Catalog, vendor: String? = nil) throws(CatalogDiagnostic) -> [BIOSCoverage] {
        var result: [BIOSCoverage] = []
        for type in catalog.deviceTypes.values.sorted(by: { $0.name < $1.name }) {
            if let vendor, type.vendor.lowercased() != vendor.lowercased() { continue }
            let desired = try DesiredBIOSState(type: type, catalog: catalog)
            for (id, dialect) in catalog.biosAttributes.dialects(forVendor: type.vendor) {
                result.append(coverage(of: desired, type: type, catalog: catalog, dialectID: id, dialect: dialect))
            }
        }
        return result
    }

    /// Coverage of `desired` by one dialect.
    public static func coverage(
        of desired: DesiredBIOSState, type: DeviceType, catalog: Catalog, dialectID: String, dialect: BIOSDialect
    ) -> BIOSCoverage {
        var registry: [String: RegistryAttribute] = [:]
        for name in dialect.names.values {
            registry[name] = RegistryAttribute(type: "String", allowed: [], readOnly: false)
        }
        if dialect.displayNamesAreMenuNames {
            for (name, setting) in desired.settings {
                let entry = catalog.biosAttributes.attributes[name]
                guard let menuName = setting.template?.name ?? entry?.sum?.split(separator: "/").last.map(String.init)
                else { continue }
                registry["menu:\(menuName)"] = RegistryAttribute(
                    type: "String", allowed: [], readOnly: false, displayName: menuName)
            }
        }
        // Only this dialect's names count: the planner is given a catalog whose only dialect is this one.
        var single = catalog
        single.biosAttributes.dialects = [dialectID: dialect]
        let plan = BIOSPlanner.plan(
            desired: desired, type: type, catalog: single, bmc: dialectID, current: [:], pending: [:],
            registry: registry)
        var coverage = BIOSCoverage(
            deviceType: type.name, vendor: type.vendor, dialect: dialectID, redfish: [], vendorTool: [],
            unresolved: [], preserved: [])
        for item in plan.items {
            switch item.fate {
            case .change, .alreadySet, .pending, .invalid, .readOnly: coverage.redfish.append(item.setting)
            case .vendorTool(let tool, _): coverage.vendorTool.append("\(item.setting) (\(tool))")
            case .unresolved(_, let note):
                coverage.unresolved.append(item.setting + (note.map { " (\($0))" } ?? ""))
            case .preserved: coverage.preserved.append(item.setting)
            }
        }
        return coverage
    }
}

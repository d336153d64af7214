import Catalog
import Redfish
import Testing

@testable import BIOS

/// Registry-driven resolution: display names, value display names, dependencies, read-only attributes, and every
/// template setting kept with a fate.
@Suite("BIOS resolution against a registry")
struct BIOSResolutionTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog

    /// A registry document in the Redfish AttributeRegistry shape.
    static func registry(_ attributes: [JSONValue], dependencies: [JSONValue] = []) -> [String: RegistryAttribute] {
        RegistryAttribute.parse(
            .object([
                "RegistryEntries": .object([
                    "Attributes": .array(attributes), "Dependencies": .array(dependencies),
                ])
            ]))
    }

    static func enumeration(_ name: String, display: String, values: [(String, String)], readOnly: Bool = false)
        -> JSONValue
    {
        .object([
            "AttributeName": .string(name), "DisplayName": .string(display), "Type": .string("Enumeration"),
            "ReadOnly": .bool(readOnly),
            "Value": .array(
                values.map { .object(["ValueName": .string($0.0), "ValueDisplayName": .string($0.1)]) }),
        ])
    }

    func plan(
        _ settings: [String: DesiredBIOSState.Setting], current: [String: JSONValue],
        registry: [String: RegistryAttribute], type name: String = "a1.c5.large"
    ) throws -> BIOSPlan {
        let type = try #require(Self.catalog.deviceType(named: name))
        var desired = try DesiredBIOSState(type: type, catalog: Self.catalog)
        desired.settings = settings
        desired.preserved = [:]
        return BIOSPlanner.plan(
            desired: desired, type: type, catalog: Self.catalog, bmc: "bmc", current: current, pending: [:],
            registry: registry)
    }

    @Test("a template setting resolves by the registry's DisplayName (a SUM menu name), with no map entry")
    func displayName() throws {
        let registry = Self.registry([
            Self.enumeration(
                "MemCorrErrLog_0042", display: "Memory Correctable Error",
                values: [("Enable", "Enabled"), ("Disable", "Disabled")])
        ])
        let template = DesiredBIOSState.TemplateSetting(
            file: "t.xml", menuPath: ["Advanced", "Memory RAS Configuration"], name: "Memory Correctable Error")
        let plan = try plan(
            ["MemoryCorrectableError": .init(value: "Enabled", source: "template t.xml", template: template)],
            current: ["MemCorrErrLog_0042": .string("Disable")], registry: registry)
        let item = try #require(plan.items.first)
        #expect(item.attribute == "MemCorrErrLog_0042")
        // The value resolves through ValueDisplayName: "Enabled" is shown for ValueName "Enable".
        #expect(item.desired == .string("Enable"))
        #expect(item.fate == .change)
        #expect(plan.redfishChanges == ["MemCorrErrLog_0042": .string("Enable")])
    }

    @Test("a value resolves by ValueDisplayName; one neither a name nor a display name is invalid with the allowed")
    func valueDisplayName() throws {
        let registry = Self.registry([
            Self.enumeration(
                "MinProcIdlePkgState", display: "Minimum Processor Idle Power Package C-State",
                values: [("NoState", "No Package State"), ("C6Retention", "Package C6 (retention) State")])
        ])
        let asked = try plan(
            ["PackageCState": .init(value: "No Package State", source: "rules")],
            current: ["MinProcIdlePkgState": .string("C6Retention")], registry: registry)
        #expect(asked.items.first?.attribute == "MinProcIdlePkgState")
        #expect(asked.items.first?.desired == .string("NoState"))
        // The template's "C0/C1 state" goes through the HPE dialect's values to NoState.
        let dialect = try plan(
            ["PackageCState": .init(value: "C0/C1 state", source: "template")],
            current: ["MinProcIdlePkgState": .string("NoState")], registry: registry)
        #expect(dialect.items.first?.fate == .alreadySet)
        let wrong = try plan(
            ["PackageCState": .init(value: "C9 state", source: "rules")],
            current: ["MinProcIdlePkgState": .string("NoState")], registry: registry)
        #expect(
            wrong.items.first?.fate
                == .invalid(
                    value: "C9 state", allowed: ["NoState", "C6Retention"], reason: "C9 state is not allowed"))
        #expect(wrong.exceptions.map(\.setting) == ["PackageCState"])
    }

    @Test("a dependency is honoured: read-only while another attribute has a value, writable when the plan changes it")
    func dependency() throws {
        let dependency = JSONValue.object([
            "Type": .string("Map"), "DependencyFor": .string("ProcCStates"),
            "Dependency": .object([
                "MapFrom": .array([
                    .object([
                        "MapFromAttribute": .string("SysProfile"), "MapFromCondition": .string("NEQ"),
                        "MapFromProperty": .string("CurrentValue"), "MapFromValue": .string("Custom"),
                    ])
                ]),
                "MapToAttribute": .string("ProcCStates"), "MapToProperty": .string("ReadOnly"),
                "MapToValue": .bool(true),
            ]),
        ])
        let registry = Self.registry(
            [
                Self.enumeration(
                    "SysProfile", display: "System Profile",
                    values: [("PerfOptimized", "Performance"), ("Custom", "Custom")]),
                Self.enumeration(
                    "ProcCStates", display: "C States", values: [("Enabled", "Enabled"), ("Disabled", "Disabled")]),
            ], dependencies: [dependency])
        let current: [String: JSONValue] = ["SysProfile": .string("PerfOptimized"), "ProcCStates": .string("Enabled")]
        let blocked = try plan(
            ["CState": .init(value: "Disabled", source: "template")], current: current, registry: registry)
        #expect(
            blocked.items.first?.fate
                == .readOnly(reason: "read-only on this BMC while SysProfile is not Custom"))
        #expect(blocked.redfishChanges.isEmpty)
        let allowed = try plan(
            [
                "CState": .init(value: "Disabled", source: "template"),
                "SysProfile": .init(value: "Custom", source: "rules"),
            ], current: current, registry: registry)
        #expect(allowed.redfishChanges == ["ProcCStates": .string("Disabled"), "SysProfile": .string("Custom")])
    }

    @Test("a read-only attribute is refused, named as read_only, never sent")
    func readOnly() throws {
        let registry = Self.registry([
            Self.enumeration(
                "SecureBootStatus", display: "Secure Boot Status",
                values: [("Enabled", "Enabled"), ("Disabled", "Disabled")],
                readOnly: true)
        ])
        let plan = try plan(
            ["SecureBoot": .init(value: "Disabled", source: "config boot.secure_boot")],
            current: ["SecureBootStatus": .string("Enabled")], registry: registry)
        #expect(plan.items.first?.attribute == "SecureBootStatus")
        #expect(plan.items.first?.fate == .readOnly(reason: "read-only on this BMC"))
        #expect(plan.redfishChanges.isEmpty)
        #expect(plan.exceptions.map(\.fate) == ["read_only"])
    }

    @Test("every template setting of every templated type is in the desired state's contributions")
    func nothingDropped() throws {
        for entry in Self.catalog.templates {
            let type = try #require(Self.catalog.deviceType(named: entry.deviceType))
            let desired = try DesiredBIOSState(type: type, catalog: Self.catalog)
            let template = try entry.load()
            let kept = desired.contributions.filter { $0.template?.file == entry.name }
            #expect(kept.count == template.settings.count, "\(entry.name)")
            for contribution in kept where contribution.standing == .desired {
                #expect(desired.settings[contribution.setting] != nil, "\(entry.name) \(contribution.setting)")
            }
        }
        let a1 = try DesiredBIOSState(
            type: try #require(Self.catalog.deviceType(named: "a1.c5.large")), catalog: Self.catalog)
        #expect(a1.settings.count == 12)
        #expect(a1.settings["PackageCState"]?.template?.menuPath == ["Advanced"])
    }

    @Test("an unresolved setting the type needs fails the apply report; an optional one does not")
    func optionalSettings() throws {
        var type = try #require(Self.catalog.deviceType(named: "a1.c5.large"))
        var desired = try DesiredBIOSState(type: type, catalog: Self.catalog)
        desired.settings = ["CState": .init(value: "Disabled", source: "template")]
        let plan = BIOSPlanner.plan(
            desired: desired, type: type, catalog: Self.catalog, bmc: "bmc", current: [:], pending: [:], registry: [:])
        #expect(plan.exceptions.map(\.fate) == ["unresolved"])
        #expect(plan.exceptions.first?.optional == false)
        type.bios.optional = ["C-State"]
        desired.settings["CState"]?.template = .init(file: "t.xml", menuPath: ["Advanced"], name: "C-State")
        let relaxed = BIOSPlanner.plan(
            desired: desired, type: type, catalog: Self.catalog, bmc: "bmc", current: [:], pending: [:], registry: [:])
        #expect(relaxed.exceptions.first?.optional == true)
    }
}

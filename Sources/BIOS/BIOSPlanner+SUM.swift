import Catalog
import VendorTools

extension BIOSPlanner {
    /// The plan for `desired` against a SUM `GetCurrentBiosCfg` file (parsed) instead of a BMC's Redfish attributes:
    /// each setting the attribute map gives a `sum` path for is read from the file (matched by full menu path, else
    /// by the setting's name), without pending values or a registry. `source` names the file in the plan.
    public static func plan(
        desired: DesiredBIOSState, type: DeviceType, catalog: Catalog, sumConfiguration: BIOSTemplate, source: String
    ) -> BIOSPlan {
        let current = VendorBIOSApplier.attributes(
            from: SUMTool.settings(of: sumConfiguration), kind: .sum, map: catalog.biosAttributes)
        return plan(
            desired: desired, type: type, catalog: catalog, bmc: source, current: current, pending: [:], registry: nil)
    }
}

import Catalog
import Redfish
import VendorTools

extension RedfishBIOS {
    /// Where each change of a plan goes in one apply.
    public struct Routing: Sendable, Hashable {
        /// The Redfish PATCH: attribute → value.
        public var redfish: [String: JSONValue]
        /// What the vendor tool stages before the reset.
        public var tool: [VendorBIOSChange]
        /// Vendor-tool settings this apply cannot send, with why (no tool, tool not installed, no key for it).
        public var notApplied: [BIOSPlan.Exception]
        /// Settings routed `redfish_fallback` that go over Redfish because the tool cannot be run.
        public var fellBack: [String]
    }

    /// Routes `plan`'s changes for one apply, checking before anything changes:
    ///
    /// - Redfish changes go in the PATCH; the plan's vendor-tool changes (routed `vendor_only` or `redfish_fallback`,
    ///   the `vendor_tool` method, or what Redfish lacks on this BMC) go to `vendorTool`, keyed by the attribute map
    ///   or (SUM) the template's menu path.
    /// - Without a tool, or with one whose program is not installed, `redfish_fallback` settings go over Redfish
    ///   instead and the other vendor-tool settings are reported not applied, naming why.
    /// - A Supermicro BMC known to lack its out-of-band licence (`licence == .absent`): with SUM in band
    ///   (`vendorTool.tool.inBand`), every change goes to it (Redfish would refuse the PATCH); otherwise a `BIOSError`
    ///   naming the licence, before anything is sent. (`.unchecked`: routed as if licensed; `apply` asks first when a
    ///   tool is in play, else the PATCH's refusal tells.)
    public func route(_ plan: BIOSPlan, vendorTool: VendorBIOSApplier?) throws(BIOSError) -> Routing {
        var redfish = plan.redfishChanges
        var toolItems = plan.vendorToolChanges
        let inBand = vendorTool?.tool.inBand == true
        if licence == .absent {
            if inBand {
                toolItems += plan.items.filter { $0.fate == .change }
                redfish = [:]
            } else if !redfish.isEmpty || !toolItems.isEmpty {
                let needs = plan.items.filter { $0.fate == .change }.map(\.setting) + toolItems.map(\.setting)
                throw Self.licenceError(bmc: plan.bmc, needs: needs)
            }
        }
        var routing = Routing(redfish: redfish, tool: [], notApplied: [], fellBack: [])
        guard !toolItems.isEmpty else { return routing }
        let cannot: String? =
            if let vendorTool { vendorTool.unavailable().map { "\($0)" } } else {
                "no vendor tool was given to this apply"
            }
        if let cannot {
            for item in toolItems {
                if case .vendorTool(_, .redfishFallback) = item.fate, let attribute = item.attribute,
                    let desired = item.desired
                {
                    routing.redfish[attribute] = desired
                    routing.fellBack.append(item.setting)
                } else {
                    routing.notApplied.append(
                        BIOSPlan.Exception(
                            setting: item.setting, fate: item.fate.name,
                            reason: "\(item.reason ?? "routed to the vendor tool"), but \(cannot)",
                            optional: item.optional))
                }
            }
            return routing
        }
        let batch = vendorTool!.batch(for: toolItems)
        routing.tool = batch.changes
        for setting in batch.unmapped {
            let item = toolItems.first { $0.setting == setting }
            routing.notApplied.append(
                BIOSPlan.Exception(
                    setting: setting, fate: item?.fate.name ?? "vendor_tool",
                    reason: "\(vendorTool!.name) has no key for it (bios-attributes.yaml names none, nor a template "
                        + "menu path)",
                    optional: item?.optional ?? false))
        }
        return routing
    }
}

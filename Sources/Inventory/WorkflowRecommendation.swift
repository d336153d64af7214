import Catalog

/// Which workflow and BIOS method fit a server, and why (the legacy tool's `get_workflow_recommendations`).
public struct WorkflowRecommendation: Sendable, Hashable, Codable {
    /// The workflows HWAutomation runs.
    public enum Workflow: String, Sendable, Hashable, Codable {
        /// Discover, classify, configure and commission without a person.
        case intelligentCommissioning = "intelligent-commissioning"
        /// Configure as a type the operator names.
        case deviceSpecific = "device-specific"
        /// Update firmware before configuring (security-sensitive profiles).
        case firmwareFirst = "firmware-first"
        /// A person must decide first (unknown or ambiguous hardware).
        case manualReview = "manual-review"
    }

    /// The workflow.
    public var workflow: Workflow
    /// The device type it would configure, when known.
    public var deviceType: String?
    /// The BIOS method to use, when a type is known.
    public var biosMethod: BIOSMethod?
    /// Vendor tools that may be needed (fallbacks, vendor-only settings, firmware).
    public var vendorTools: [String]
    /// Why, one sentence each.
    public var reasons: [String]

    enum CodingKeys: String, CodingKey {
        case workflow
        case deviceType = "device_type"
        case biosMethod = "bios_method"
        case vendorTools = "vendor_tools"
        case reasons
    }

    /// Recommends for `inventory` classified as `classification` against `catalog`.
    public init(inventory: Inventory, classification: Classification, catalog: Catalog) {
        var reasons: [String] = []
        guard classification.outcome == .matched, let name = classification.deviceType,
            let type = catalog.deviceType(named: name)
        else {
            workflow = .manualReview
            deviceType = nil
            biosMethod = nil
            vendorTools = []
            switch classification.outcome {
            case .ambiguous:
                reasons.append(
                    "the hardware fits \(classification.ambiguousWith.joined(separator: ", ")) equally; run device-specific commissioning with the right type, or make the catalog entries differ"
                )
            default:
                reasons.append(
                    "no catalog type fits; review the proposed entry from `hwautomation classify`, add it, then commission"
                )
            }
            self.reasons = reasons
            return
        }
        deviceType = name
        let setup = Self.setup(type, inventory: inventory, catalog: catalog)
        biosMethod = setup.method
        vendorTools = setup.tools
        reasons += setup.reasons
        let securityProfile = setup.securityProfile != nil
        switch classification.confidence {
        case .high:
            workflow = securityProfile ? .firmwareFirst : .intelligentCommissioning
            reasons.insert("classified as \(name) with high confidence", at: 0)
            if let profile = setup.securityProfile {
                reasons.append("firmware profile `\(profile)` puts security first: update firmware before configuring")
            }
        case .medium:
            workflow = .deviceSpecific
            let mismatched = classification.reasons.filter { $0.verdict == .mismatched }.map(\.field)
            reasons.insert(
                "classified as \(name) with medium confidence"
                    + (mismatched.isEmpty ? "" : " (\(mismatched.joined(separator: ", ")) differ)")
                    + "; confirm the type and run device-specific commissioning", at: 0)
        case .low, .none:
            workflow = .manualReview
            reasons.insert("\(name) is only a weak fit; a person should decide", at: 0)
        }
        self.reasons = reasons
    }

    /// Recommends for `inventory` configured as `type`, which a person chose (the classifier did not decide it).
    public init(chosen type: DeviceType, inventory: Inventory, catalog: Catalog) {
        deviceType = type.name
        let setup = Self.setup(type, inventory: inventory, catalog: catalog)
        biosMethod = setup.method
        vendorTools = setup.tools
        workflow = setup.securityProfile == nil ? .intelligentCommissioning : .firmwareFirst
        reasons = ["\(type.name) chosen by an operator"] + setup.reasons
        if let profile = setup.securityProfile {
            reasons.append("firmware profile `\(profile)` puts security first: update firmware before configuring")
        }
    }

    /// The BIOS method, vendor tools and their reasons for `type`, and its firmware profile when that profile puts
    /// security first.
    private static func setup(_ type: DeviceType, inventory: Inventory, catalog: Catalog) -> (
        method: BIOSMethod, tools: [String], reasons: [String], securityProfile: String?
    ) {
        let name = type.name
        var reasons: [String] = []
        let vendor = catalog.vendors[type.vendor]
        let vendorTools = vendor?.tools.keys.sorted() ?? []
        var method = catalog.preferredBIOSMethod(for: type)
        if type.redfish.capable == false {
            method = .vendorTool
            reasons.append(
                "the catalog says \(name)'s BMC has no usable Redfish; BIOS settings go through \(vendorTools.first ?? "the vendor tool")"
            )
        } else if inventory.bmc == nil && inventory.sources.values.allSatisfy({ $0 != "redfish" }) {
            reasons.append("no BMC details were discovered; check Redfish reachability before applying BIOS settings")
        }
        let vendorOnly = type.bios.routing.filter { $0.value.route == .vendorOnly }.keys.sorted()
        if method == .redfish && !vendorOnly.isEmpty {
            method = .hybrid
            reasons.append(
                "\(vendorOnly.count) setting(s) are vendor-only (\(vendorOnly.prefix(3).joined(separator: ", "))…), so the method is hybrid"
            )
        }
        if type.vendor == "supermicro" && method != .vendorTool {
            reasons.append("Supermicro needs an out-of-band licence for Redfish BIOS changes; without it SUM is used")
        }
        let profile = (catalog.firmware.deviceMapping[name] ?? catalog.firmware.deviceMapping["default"])?.profile
        let security = profile.flatMap { catalog.firmware.profiles[$0] }?.priority == "security" ? profile : nil
        return (method, vendorTools, reasons, security)
    }
}

import Catalog
import Foundation

/// What a firmware plan is for: the server's vendor, type, board and model (to pick fitting images).
public struct FirmwareTarget: Sendable, Hashable, Codable {
    /// Vendor identifier (`supermicro`, `hpe`, `dell`).
    public var vendor: String
    /// Device type, when classified.
    public var deviceType: String?
    /// Board, when known.
    public var board: String?
    /// Model, when known.
    public var model: String?

    /// Creates a target.
    public init(vendor: String, deviceType: String? = nil, board: String? = nil, model: String? = nil) {
        self.vendor = vendor
        self.deviceType = deviceType
        self.board = board
        self.model = model
    }
}

/// Plans firmware updates: for each component, the running version against the repository's fitting images,
/// decided by an update policy from the catalog (`manual`, `recommended`, `latest`, `security_only`):
///
/// - only images newer than the running version count (an incomparable version is `unknown`, never newer);
/// - a policy with `include_priorities` takes only those priorities; `exclude_priorities` drops those;
///   `security_override` lets a security image through either filter;
/// - the newest image the policy allows is the target; `auto_install: false` (manual) makes it wait for approval.
public struct FirmwarePlanner: Sendable {
    /// The catalog (policies; per-vendor update estimates).
    public var catalog: Catalog
    /// The repository's images.
    public var images: [FirmwareImage]

    /// The policy used when none is named.
    public static let defaultPolicy = "recommended"

    /// A planner over `images`.
    public init(catalog: Catalog, images: [FirmwareImage]) {
        self.catalog = catalog
        self.images = images
    }

    /// The named policy, or an error listing the catalog's.
    public func policy(named name: String) throws(FirmwareError) -> UpdatePolicy {
        guard let policy = catalog.firmware.policies[name] else {
            throw FirmwareError(
                .invalid,
                "no update policy `\(name)`; the catalog has: "
                    + catalog.firmware.policies.keys.sorted().joined(separator: ", "))
        }
        return policy
    }

    /// The plan for a server running `inventory`. `approve` turns a manual policy's `approval` into `install`.
    public func plan(
        server: String, target: FirmwareTarget, inventory: FirmwareInventory, policyName: String? = nil,
        approve: Bool = false
    ) throws(FirmwareError) -> FirmwarePlan {
        let name = policyName ?? Self.defaultPolicy
        let policy = try policy(named: name)
        let fitting = images.filter {
            $0.fits(vendor: target.vendor, deviceType: target.deviceType, board: target.board, model: target.model)
        }
        var components: [FirmwareComponent] = [.bmc, .bios]
        if fitting.contains(where: { $0.component == .other }) { components.append(.other) }
        let items = components.map { component in
            item(
                component, current: inventory.version(of: component),
                candidates: fitting.filter { $0.component == component }, policy: policy, policyName: name,
                approve: approve, vendor: target.vendor)
        }
        return FirmwarePlan(server: server, policy: name, items: items)
    }

    private func item(
        _ component: FirmwareComponent, current: String?, candidates: [FirmwareImage], policy: UpdatePolicy,
        policyName: String, approve: Bool, vendor: String
    ) -> FirmwarePlanItem {
        let estimate = catalog.vendors[vendor.lowercased()]?.firmware[component.rawValue]?.estimatedSeconds
        var line = FirmwarePlanItem(
            component: component, current: current, available: nil, target: nil, decision: .noImage, reason: "",
            behindBy: 0, estimatedSeconds: estimate)
        guard !candidates.isEmpty else {
            line.reason = "no \(component.rawValue) image in the repository fits this server"
            return line
        }
        guard let current else {
            line.decision = .unknown
            line.reason = "the server does not report its \(component.rawValue) version"
            return line
        }
        let running = FirmwareVersion(current)
        let newer = candidates.filter { $0.parsedVersion.isNewer(than: running) }
            .sorted { $0.parsedVersion.isNewer(than: $1.parsedVersion) }
        line.behindBy = Set(newer.map(\.version)).count
        guard let newest = newer.first else {
            let comparable = candidates.filter { $0.parsedVersion.compare(to: running) != nil }
            if comparable.isEmpty {
                line.decision = .unknown
                line.reason =
                    "cannot compare \(current) with the repository's "
                    + candidates.map(\.version).joined(separator: ", ") + "; update by hand if needed"
            } else {
                line.decision = .current
                line.reason = "\(current) is the newest the repository has"
            }
            return line
        }
        line.available = newest.version
        guard let chosen = newer.first(where: { Self.allows(policy, $0) }) else {
            line.decision = .skip
            line.reason =
                "policy \(policyName) excludes "
                + newer.map { "\($0.version) (\($0.priority.rawValue)\($0.security ? ", security" : ""))" }
                .joined(separator: ", ")
            return line
        }
        line.target = chosen
        let what = "\(current) → \(chosen.version) (\(chosen.priority.rawValue)\(chosen.security ? ", security" : ""))"
        if !policy.autoInstall && !approve {
            line.decision = .approval
            line.reason = "policy \(policyName): \(what) needs an operator's approval (--approve)"
        } else {
            line.decision = .install
            line.reason = "policy \(policyName): \(what)" + (approve && !policy.autoInstall ? ", approved" : "")
        }
        return line
    }

    /// Whether `policy` lets `image` through its priority filters.
    static func allows(_ policy: UpdatePolicy, _ image: FirmwareImage) -> Bool {
        if image.security && policy.securityOverride { return true }
        if let include = policy.includePriorities, !include.isEmpty,
            !include.contains(image.priority.rawValue)
        {
            return false
        }
        if let exclude = policy.excludePriorities, exclude.contains(image.priority.rawValue) { return false }
        return true
    }
}

import Foundation

/// Which servers run the firmware their policy wants: per server and component, the running version, the
/// policy's target, and how many newer versions the repository holds.
public struct FirmwareComplianceReport: Sendable, Hashable, Codable {
    /// One server's component.
    public struct Row: Sendable, Hashable, Codable {
        /// The server.
        public var server: String
        /// Its device type, when classified.
        public var deviceType: String?
        /// Its vendor.
        public var vendor: String?
        /// The component.
        public var component: FirmwareComponent
        /// The running version.
        public var current: String?
        /// The version the policy wants (the current one when compliant).
        public var target: String?
        /// `compliant`, `behind` (an update the policy installs or awaits approval for), `excluded` (newer
        /// images the policy skips), `unknown` (cannot tell), `no_image`.
        public var status: String
        /// Newer versions in the repository than the running one.
        public var behindBy: Int
        /// Why.
        public var reason: String

        enum CodingKeys: String, CodingKey {
            case server, vendor, component, current, target, status, reason
            case deviceType = "device_type"
            case behindBy = "behind_by"
        }
    }

    /// The policy applied.
    public var policy: String
    /// Every server's components, by server then component.
    public var rows: [Row]

    /// Servers with at least one component behind.
    public var serversBehind: Int { Set(rows.filter { $0.status == "behind" }.map(\.server)).count }

    /// The report from each server's plan.
    public init(policy: String, plans: [(plan: FirmwarePlan, deviceType: String?, vendor: String?)]) {
        self.policy = policy
        rows = plans.flatMap { entry in
            entry.plan.items.map { item in
                let status: String
                let target: String?
                switch item.decision {
                case .install, .approval:
                    status = "behind"
                    target = item.target?.version
                case .skip:
                    status = "excluded"
                    target = item.current
                case .current:
                    status = "compliant"
                    target = item.current
                case .unknown: (status, target) = ("unknown", nil)
                case .noImage: (status, target) = ("no_image", nil)
                }
                return Row(
                    server: entry.plan.server, deviceType: entry.deviceType, vendor: entry.vendor,
                    component: item.component, current: item.current, target: target, status: status,
                    behindBy: item.behindBy, reason: item.reason)
            }
        }
    }
}

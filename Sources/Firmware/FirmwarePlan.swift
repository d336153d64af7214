import Foundation

/// What a policy decided for one component of one server.
public enum FirmwareDecision: String, Sendable, Hashable, Codable {
    /// Update to the target.
    case install
    /// A newer image the policy allows is there, but the policy is manual: an operator approves it (`--approve`).
    case approval
    /// A newer image is there, but the policy excludes it.
    case skip
    /// Nothing newer in the repository.
    case current
    /// The versions cannot be compared (unknown current version or incomparable families).
    case unknown
    /// No image in the repository fits the server.
    case noImage = "no_image"
}

/// One component's line in a firmware plan.
public struct FirmwarePlanItem: Sendable, Hashable, Codable {
    /// The component.
    public var component: FirmwareComponent
    /// The running version, when known.
    public var current: String?
    /// The newest fitting image newer than the current version, whatever the policy says.
    public var available: String?
    /// The image the policy picked (for `install` and `approval`).
    public var target: FirmwareImage?
    /// The decision.
    public var decision: FirmwareDecision
    /// Why, in words.
    public var reason: String
    /// Newer images in the repository than the running version ("behind by").
    public var behindBy: Int
    /// The catalog's estimate for the update, in seconds.
    public var estimatedSeconds: Int?

    /// Creates a line.
    public init(
        component: FirmwareComponent, current: String?, available: String?, target: FirmwareImage?,
        decision: FirmwareDecision, reason: String, behindBy: Int, estimatedSeconds: Int?
    ) {
        self.component = component
        self.current = current
        self.available = available
        self.target = target
        self.decision = decision
        self.reason = reason
        self.behindBy = behindBy
        self.estimatedSeconds = estimatedSeconds
    }

    enum CodingKeys: String, CodingKey {
        case component, current, available, target, decision, reason
        case behindBy = "behind_by"
        case estimatedSeconds = "estimated_seconds"
    }

    /// Whether this item is to be flashed.
    public var isUpdate: Bool { decision == .install }
}

/// A server's firmware plan: per component, in update order (BMC, then BIOS, then the rest).
public struct FirmwarePlan: Sendable, Hashable, Codable {
    /// The server (id or BMC).
    public var server: String
    /// The policy applied.
    public var policy: String
    /// The lines, BMC first.
    public var items: [FirmwarePlanItem]

    /// Creates a plan.
    public init(server: String, policy: String, items: [FirmwarePlanItem]) {
        self.server = server
        self.policy = policy
        self.items = items.sorted { $0.component < $1.component }
    }

    /// The updates to run, in order.
    public var updates: [FirmwarePlanItem] { items.filter(\.isUpdate) }

    /// Whether a host reset is needed for the updates to take effect (BIOS firmware).
    public var needsHostReset: Bool { updates.contains { $0.component.needsHostReset } }

    /// The catalog's estimate for all updates, in seconds.
    public var estimatedSeconds: Int { updates.compactMap(\.estimatedSeconds).reduce(0, +) }

    enum CodingKeys: String, CodingKey {
        case server, policy, items
        case needsHostReset = "needs_host_reset"
        case estimatedSeconds = "estimated_seconds"
    }

    /// Encodes with the derived fields (for `--json`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(server, forKey: .server)
        try container.encode(policy, forKey: .policy)
        try container.encode(items, forKey: .items)
        try container.encode(needsHostReset, forKey: .needsHostReset)
        try container.encode(estimatedSeconds, forKey: .estimatedSeconds)
    }

    /// Decodes (the derived fields are recomputed).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        server = try container.decode(String.self, forKey: .server)
        policy = try container.decode(String.self, forKey: .policy)
        items = try container.decode([FirmwarePlanItem].self, forKey: .items)
    }
}

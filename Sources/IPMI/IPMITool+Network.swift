import Inventory

/// The BMC network settings to apply.
public struct BMCNetworkSettings: Sendable, Hashable, Codable {
    /// Take the address from DHCP (the other fields are then ignored).
    public var dhcp: Bool
    /// Static address.
    public var address: String?
    /// Netmask.
    public var netmask: String?
    /// Default gateway.
    public var gateway: String?
    /// 802.1q VLAN id; nil leaves it as it is, `.some(nil)` turns VLAN tagging off.
    public var vlan: Int??

    /// Creates settings.
    public init(
        dhcp: Bool = false, address: String? = nil, netmask: String? = nil, gateway: String? = nil, vlan: Int?? = nil
    ) {
        self.dhcp = dhcp
        self.address = address
        self.netmask = netmask
        self.gateway = gateway
        self.vlan = vlan
    }
}

extension IPMITool {
    /// What `configureNetwork` did.
    public struct NetworkChange: Sendable, Hashable, Codable {
        /// Settings before.
        public var before: LANConfiguration
        /// Settings after (as `lan print` shows them).
        public var after: LANConfiguration
        /// Whether the change was undone because the BMC stopped answering.
        public var rolledBack: Bool

        enum CodingKeys: String, CodingKey {
            case before, after
            case rolledBack = "rolled_back"
        }
    }

    /// Sets the BMC's network as one operation: reads the current values, sets the new ones, waits until
    /// `lan print` shows them, and — out of band — checks the BMC still answers (`check`, e.g. a tool bound to the
    /// new address); if it does not, puts the previous values back (through `fallback`, which must still reach the
    /// BMC: in band through the host, or the old address) and reports the rollback.
    public func configureNetwork(
        _ settings: BMCNetworkSettings, channel: Int = 1, check: (@Sendable () async -> Bool)? = nil,
        fallback: IPMITool? = nil, settle: Duration = .seconds(30)
    ) async throws(IPMIError) -> NetworkChange {
        let before = try await lan(channel: channel)
        try await setLAN(
            channel: channel, dhcp: settings.dhcp, address: settings.dhcp ? nil : settings.address,
            netmask: settings.dhcp ? nil : settings.netmask, gateway: settings.dhcp ? nil : settings.gateway,
            vlan: settings.vlan)
        let deadline = ContinuousClock.now + settle
        var after = before
        var shown = false
        while !shown {
            after = (try? await lan(channel: channel)) ?? after
            shown =
                settings.dhcp
                ? after.ipSource == "dhcp"
                : (settings.address == nil || after.ip == settings.address)
                    && (settings.netmask == nil || after.netmask == settings.netmask)
                    && (settings.gateway == nil || after.gateway == settings.gateway)
            if shown || ContinuousClock.now >= deadline { break }
            try? await Task.sleep(for: .seconds(1))
        }
        let answering = shown ? await (check?() ?? true) : false
        guard !answering else { return NetworkChange(before: before, after: after, rolledBack: false) }
        let restorer = fallback ?? self
        try await restorer.setLAN(
            channel: channel, dhcp: before.ipSource == "dhcp", address: before.ip, netmask: before.netmask,
            gateway: before.gateway, vlan: .some(before.vlan))
        let restored = try await restorer.lan(channel: channel)
        throw IPMIError(
            kind: .failed, bmc: bmc,
            message: (shown
                ? "the BMC stopped answering after the change"
                : "lan print did not show the new settings within \(settle)")
                + "; the previous settings were put back (address \(restored.ip ?? "?"))")
    }
}

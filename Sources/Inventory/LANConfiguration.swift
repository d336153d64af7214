import Foundation

/// `ipmitool lan print`.
public struct LANConfiguration: Sendable, Hashable, Codable {
    /// `static`, `dhcp`, or what the BMC says.
    public var ipSource: String?
    /// Address.
    public var ip: String?
    /// Netmask.
    public var netmask: String?
    /// MAC, lower case.
    public var mac: String?
    /// Default gateway.
    public var gateway: String?
    /// 802.1q VLAN id; nil when disabled.
    public var vlan: Int?

    enum CodingKeys: String, CodingKey {
        case ipSource = "ip_source"
        case ip, netmask, mac, gateway, vlan
    }

    /// Reads `lan print` output; nil when it has neither an address nor a MAC line.
    public static func parse(_ text: String) -> LANConfiguration? {
        let fields = KeyValueLines.fields(text)
        guard fields["IP Address"] != nil || fields["MAC Address"] != nil else { return nil }
        var source: String?
        switch fields["IP Address Source"]?.lowercased() {
        case let value? where value.contains("dhcp"): source = "dhcp"
        case let value? where value.contains("static"): source = "static"
        case let value?: source = value
        case nil: break
        }
        return LANConfiguration(
            ipSource: source, ip: fields["IP Address"], netmask: fields["Subnet Mask"],
            mac: fields["MAC Address"]?.lowercased(),
            gateway: fields["Default Gateway IP"], vlan: fields["802.1q VLAN ID"].flatMap { Int($0) })
    }
}

import Foundation

/// Reads `ipmitool lan print`: the BMC's address, MAC, netmask, gateway, VLAN and address source.
public enum IPMILanParser {
    /// Parses `text` into `inventory`.
    public static func parse(_ text: String, into inventory: inout Inventory, source: String = "ipmitool-lan.txt") {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, fields[key] == nil else { continue }
            fields[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard fields["IP Address"] != nil || fields["MAC Address"] != nil else {
            inventory.problem(source, "no 'IP Address' or 'MAC Address' line (expected `ipmitool lan print` output)")
            return
        }
        var bmc = inventory.bmc ?? BMCInfo()
        bmc.ip = fields["IP Address"]
        bmc.mac = fields["MAC Address"]?.lowercased()
        bmc.netmask = fields["Subnet Mask"]
        bmc.gateway = fields["Default Gateway IP"]
        bmc.vlan = fields["802.1q VLAN ID"].flatMap { Int($0) }
        switch fields["IP Address Source"]?.lowercased() {
        case let text? where text.contains("dhcp"): bmc.ipSource = "dhcp"
        case let text? where text.contains("static"): bmc.ipSource = "static"
        case let text?: bmc.ipSource = text
        case nil: break
        }
        inventory.bmc = bmc
        inventory.note("bmc", from: source)
    }
}

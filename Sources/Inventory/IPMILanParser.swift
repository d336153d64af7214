/// Reads `ipmitool lan print` into an inventory's BMC facts (`LANConfiguration`).
public enum IPMILanParser {
    /// Parses `text` into `inventory`.
    public static func parse(_ text: String, into inventory: inout Inventory, source: String = "ipmitool-lan.txt") {
        guard let lan = LANConfiguration.parse(text) else {
            inventory.problem(source, "no 'IP Address' or 'MAC Address' line (expected `ipmitool lan print` output)")
            return
        }
        inventory.bmc = BMCInfo(
            ip: lan.ip, mac: lan.mac, netmask: lan.netmask, gateway: lan.gateway, vlan: lan.vlan, ipSource: lan.ipSource
        )
        inventory.note("bmc", from: source)
    }
}

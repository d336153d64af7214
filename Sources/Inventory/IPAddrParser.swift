import Redfish

/// Reads `ip -j addr`: interfaces with MAC, link state and addresses (loopback left out).
public enum IPAddrParser {
    /// Parses `text` into `inventory`.
    public static func parse(_ text: String, into inventory: inout Inventory, source: String = "ip-addr.json") {
        guard let document = inventory.json(text, source: source) else { return }
        guard case .array(let links) = document else {
            inventory.problem(source, "expected a JSON array of interfaces")
            return
        }
        for link in links {
            guard let name = link["ifname"].string, link["link_type"].string != "loopback" else { continue }
            var nic = inventory.nics.first { $0.name == name } ?? NetworkInterface(name: name)
            nic.mac = link["address"].string?.lowercased() ?? nic.mac
            if let state = link["operstate"].string {
                nic.linkUp = state == "UP" ? true : (state == "DOWN" ? false : nic.linkUp)
            }
            for address in link["addr_info"].array {
                guard let local = address["local"].string else { continue }
                let entry = address["prefixlen"].int.map { "\(local)/\($0)" } ?? local
                if address["family"].string == "inet6" {
                    if !nic.ipv6.contains(entry) { nic.ipv6.append(entry) }
                } else if !nic.ipv4.contains(entry) {
                    nic.ipv4.append(entry)
                }
            }
            inventory.upsert(nic)
        }
        inventory.note("nics", from: source)
    }
}

extension Inventory {
    /// Replaces the interface with the same name, or appends it.
    mutating func upsert(_ nic: NetworkInterface) {
        if let index = nics.firstIndex(where: { $0.name == nic.name }) {
            nics[index] = nic
        } else {
            nics.append(nic)
        }
    }
}

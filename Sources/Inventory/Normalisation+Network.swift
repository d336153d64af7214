extension Normalisation {
    /// Standard Ethernet rates, Mbit/s: 10/100 Mb, 1, 2.5, 5, 10, 25, 40, 50, 100, 200, 400 and 800 GbE.
    public static let standardLinkSpeedsMbps = [
        10, 100, 1000, 2500, 5000, 10000, 25000, 40000, 50000, 100_000, 200_000, 400_000, 800_000,
    ]

    /// How far (relative) a reported speed may be from a standard rate and still be that rate.
    static let linkSpeedTolerance = 0.05

    /// The standard rate nearest `mbps` (within 5%), else `mbps` unchanged. Dell iDRAC 8/9 report a 10 GbE port's
    /// `SpeedMbps` as 10240 and a 25 GbE port's as 25600 (binary prefixes); both become the rate the port is sold
    /// as.
    public static func linkSpeed(_ mbps: Int) -> Int {
        guard mbps > 0 else { return mbps }
        var best = mbps
        var bestDistance = linkSpeedTolerance
        for rate in standardLinkSpeedsMbps {
            let distance = abs(Double(mbps - rate)) / Double(rate)
            if distance <= bestDistance {
                best = rate
                bestDistance = distance
            }
        }
        return best
    }

    /// A MAC address in colon form, lower case (`08:94:ef:12:34:56`), from any of the forms firmware writes: colons,
    /// dashes, Cisco-style dots, or bare hex (Lenovo XCC writes `0894EF123456`). 20-byte InfiniBand addresses are
    /// formatted the same way. Nil for a placeholder or the all-zero / broadcast address; text that is not a
    /// hardware address is returned trimmed and lower-cased, unchanged otherwise.
    public static func mac(_ text: String?) -> String? {
        guard let text else { return nil }
        if isCanonicalMAC(text) {
            return text.utf8.allSatisfy({ $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: ":") }) ? nil : text
        }
        guard let text = meaningful(text) else { return nil }
        let hex = text.utf8.filter { $0 != UInt8(ascii: ":") && $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: ".") }
            .map(lower)
        let isHex = hex.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        guard isHex, hex.count == 12 || hex.count == 40 else { return text.lowercased() }
        if hex.allSatisfy({ $0 == UInt8(ascii: "f") }) { return nil }
        var groups: [String] = []
        var index = 0
        while index < hex.count {
            groups.append(String(decoding: hex[index..<(index + 2)], as: UTF8.self))
            index += 2
        }
        return groups.joined(separator: ":")
    }

    /// Already `xx:xx:xx:xx:xx:xx` in lower-case hex (checked without allocating: this runs on every
    /// classification).
    private static func isCanonicalMAC(_ text: String) -> Bool {
        guard text.utf8.count == 17 else { return false }
        for (offset, byte) in text.utf8.enumerated() {
            if offset % 3 == 2 {
                guard byte == UInt8(ascii: ":") else { return false }
            } else {
                guard (48...57).contains(byte) || (97...102).contains(byte) else { return false }
            }
        }
        return true
    }

    /// Words in an interface's name or label that mark a link to the server's own BMC.
    ///
    /// - `tomanager`, `to manager`: Lenovo XCC lists its LAN-over-USB link among the host's interfaces as
    ///   `ToManager` (`Ethernet Interface to Manager`, 100 Mb).
    /// - `host interface`, `hostinterface`: the DMTF Redfish Host Interface (DSP0270), as iDRAC 9, iLO 5/6 and XCC
    ///   name it.
    /// - `lan over usb`, `usb nic`, `virtual nic`, `manager`: iDRAC's `OS to iDRAC Pass-through` USB NIC and iLO's
    ///   `Virtual NIC` as their descriptions read.
    static let managementWords = [
        "tomanager", "to manager", "host interface", "hostinterface", "lan over usb", "lan-over-usb", "usb nic",
        "virtual nic", "manager", "idrac", "ilo ", "bmc",
    ]

    /// Host-side addresses of BMC links: XCC's LAN-over-USB (169.254.95.0/24), iDRAC's pass-through
    /// (169.254.0.0/24, 169.254.1.0/24), iLO 5/6's Virtual NIC (16.1.15.0/30).
    static let managementAddressPrefixes = ["169.254.95.", "169.254.0.", "169.254.1.", "16.1.15."]

    /// Linux names of software interfaces: bridges, bonds and teams, VLANs, containers, VMs, tunnels.
    static let virtualNamePrefixes = [
        "docker", "veth", "virbr", "br-", "br0", "br1", "br2", "bridge", "vnet", "tap", "tun", "bond", "team", "vlan",
        "cni",
        "flannel", "cali", "kube", "lxc", "ovs", "vxlan", "genev", "wg", "dummy", "macvtap", "ipvlan", "macvlan",
    ]

    /// What `nic` is for, from what the reader set, its name, label and addresses.
    public static func interfaceRole(_ nic: NetworkInterface) -> NetworkInterface.Role {
        if let role = nic.role { return role }
        let name = nic.name
        // The label with a trailing space, so `ilo ` also matches at its end.
        let label = nic.label.map { $0 + " " } ?? ""
        if managementWords.contains(where: { contains(name, $0) || contains(label, $0) })
            || nic.ipv4.contains(where: { address in managementAddressPrefixes.contains(where: address.hasPrefix) })
        {
            return .management
        }
        if hasPrefix(name, "usb") || contains(label, "usb") { return .usb }
        if contains(label, "virtual") || name.utf8.contains(UInt8(ascii: "@")) || isVLAN(name)
            || virtualNamePrefixes.contains(where: { hasPrefix(name, $0) })
        {
            return .virtual
        }
        return .data
    }

    /// A Linux VLAN interface (`eno1.100`, `bond0.20`). Dell's Redfish ids (`NIC.Integrated.1-1-1`) also have dots
    /// and are ports.
    private static func isVLAN(_ name: String) -> Bool {
        guard name.utf8.contains(UInt8(ascii: ".")) else { return false }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy(\.isNumber) else { return false }
        return ["en", "eth", "ib", "bond", "team"].contains(where: { hasPrefix(String(parts[0]), $0) })
    }

    /// Speed, MAC and role of one interface.
    static func normaliseInterface(_ nic: inout NetworkInterface) {
        nic.mac = mac(nic.mac)
        if let speed = nic.speedMbps {
            let standard = linkSpeed(speed)
            if standard != speed {
                nic.reportedSpeedMbps = nic.reportedSpeedMbps ?? speed
                nic.speedMbps = standard
            }
        }
        nic.role = interfaceRole(nic)
    }

    /// The BMC's MAC and placeholder addresses.
    static func normaliseBMC(_ bmc: inout BMCInfo) {
        bmc.mac = mac(bmc.mac)
        if bmc.ip == "0.0.0.0" { bmc.ip = nil }
        if bmc.gateway == "0.0.0.0" { bmc.gateway = nil }
    }
}

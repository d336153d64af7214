import Redfish

/// The chassis' NetworkAdapters: every port of every adapter, with the speed and MAC each firmware puts in a
/// different place.
///
/// - DMTF NetworkAdapter / NetworkPort (schema 1.x, Redfish 2016.2–2021): `NetworkAdapters/{id}/NetworkPorts/{port}`
///   with `CurrentLinkSpeedMbps`, `LinkStatus` (`Up`/`Down`), `AssociatedNetworkAddresses` (the MACs) and
///   `SupportedLinkCapabilities[].LinkSpeedMbps`. Dell iDRAC 8/9 (`Chassis/System.Embedded.1/NetworkAdapters/
///   NIC.Integrated.1/NetworkPorts/NIC.Integrated.1-1`), Lenovo XCC 1/2 (`Chassis/1/NetworkAdapters/slot-4/
///   NetworkPorts/1`) and Supermicro X12 serve this shape. iDRAC writes a 10 GbE port's speed as 10240.
/// - DMTF Port (NetworkAdapter 1.5+, Redfish 2021.2+): `NetworkAdapters/{id}/Ports/{port}` with `CurrentSpeedGbps`,
///   `MaxSpeedGbps`, `LinkStatus` (`LinkUp`/`LinkDown`) and `Ethernet.AssociatedMACAddresses`. iDRAC 9 6.x+,
///   XCC 2 and Supermicro X13 serve it beside (or instead of) NetworkPorts; Ports win when both are there.
/// - DMTF NetworkDeviceFunction: `NetworkAdapters/{id}/NetworkDeviceFunctions/{fn}` with `Ethernet.MACAddress` and
///   `Links.PhysicalPortAssignment` (`AssignablePhysicalPorts` before 1.3): where iDRAC and XCC keep a port's MAC
///   when the port itself lists none.
/// - Supermicro X10/X11 (Redfish 1.0.x firmware) have no NetworkAdapters: their ports come from the system's
///   EthernetInterfaces only.
/// - HPE iLO 5 lists NetworkAdapters only from some firmware on and often empty; its ports are read from
///   BaseNetworkAdapters then (`RedfishInventoryReader+HPE.swift`).
extension RedfishInventoryReader {
    /// Reads every chassis' NetworkAdapters, merging each port into the interface with its MAC; when that yields
    /// no port, the HPE BaseNetworkAdapters of `system`.
    func readNetworkAdapters(chassis: [JSONValue], system: JSONValue?, into inventory: inout Inventory) async {
        var ports = 0
        for chassis in chassis {
            guard let path = chassis["NetworkAdapters"]["@odata.id"].string else { continue }
            for adapter in await members(of: path, .nics, &inventory) {
                ports += await readAdapter(adapter, into: &inventory)
            }
        }
        if ports == 0, let system { ports = await readBaseNetworkAdapters(system, into: &inventory) }
        if ports > 0 { inventory.note("nics.ports", from: label) }
    }

    /// One adapter's ports (Ports, else NetworkPorts, else its Ethernet functions); the number read. The functions
    /// are read only when a port names no MAC of its own, or there are no ports.
    private func readAdapter(_ adapter: JSONValue, into inventory: inout Inventory) async -> Int {
        let adapterID = adapter["Id"].string ?? "adapter"
        let adapterLabel = Self.meaningful(adapter["Model"].string) ?? Self.meaningful(adapter["Name"].string)
        var ports = await members(of: adapter["Ports"]["@odata.id"].string, .nics, &inventory)
        if ports.isEmpty { ports = await members(of: adapter["NetworkPorts"]["@odata.id"].string, .nics, &inventory) }
        ports = ports.filter { $0["Status"]["State"].string != "Absent" }
        var functions: [JSONValue] = []
        if ports.isEmpty || ports.contains(where: { Self.portMAC($0) == nil }) {
            functions = await members(of: adapter["NetworkDeviceFunctions"]["@odata.id"].string, .nics, &inventory)
                .filter { ($0["NetDevFuncType"].string ?? "Ethernet") == "Ethernet" }
        }
        var macByPort: [String: String] = [:]
        for function in functions {
            guard let mac = Self.functionMAC(function) else { continue }
            let port =
                function["Links"]["PhysicalPortAssignment"]["@odata.id"].string
                ?? function["PhysicalPortAssignment"]["@odata.id"].string
                ?? function["AssignablePhysicalPorts"].array.first?["@odata.id"].string
            if let port, macByPort[Self.pathKey(port)] == nil { macByPort[Self.pathKey(port)] = mac }
        }
        for port in ports {
            let portID = port["Id"].string ?? "\(ports.count)"
            var nic = NetworkInterface(name: portID.hasPrefix(adapterID + "-") ? portID : "\(adapterID)-\(portID)")
            let mac = Self.portMAC(port) ?? port["@odata.id"].string.flatMap { macByPort[Self.pathKey($0)] }
            nic.mac = mac?.lowercased()
            nic.speedMbps = Self.portSpeed(port)
            nic.linkUp = Self.linkUp(port["LinkStatus"].string)
            nic.label = adapterLabel
            Self.merge(nic, into: &inventory)
        }
        guard ports.isEmpty else { return ports.count }
        // No port resources: the Ethernet functions are the ports (one function per port, unpartitioned).
        for function in functions {
            var nic = NetworkInterface(name: function["Id"].string ?? "\(adapterID)-fn")
            nic.mac = Self.functionMAC(function)
            nic.label = adapterLabel
            Self.merge(nic, into: &inventory)
        }
        return functions.count
    }

    /// A port's speed in Mbit/s as the BMC writes it: the current link speed, else (a port with no link, which
    /// reports 0) the fastest it supports.
    static func portSpeed(_ port: JSONValue) -> Int? {
        func positive(_ value: Int?) -> Int? { value.flatMap { $0 > 0 ? $0 : nil } }
        func megabits(_ gbps: Double?) -> Int? {
            guard let gbps, gbps.isFinite, gbps > 0, gbps < 1e6 else { return nil }
            return Int((gbps * 1000).rounded())
        }
        return positive(port["CurrentLinkSpeedMbps"].int) ?? megabits(port["CurrentSpeedGbps"].double)
            ?? positive(port["SupportedLinkCapabilities"].array.compactMap { $0["LinkSpeedMbps"].int }.max())
            ?? megabits(port["MaxSpeedGbps"].double)
    }

    /// `Up`/`LinkUp` → true, `Down`/`LinkDown`/`NoLink` → false, anything else unknown.
    static func linkUp(_ status: String?) -> Bool? {
        switch status {
        case "Up", "LinkUp": return true
        case "Down", "LinkDown", "NoLink": return false
        default: return nil
        }
    }

    /// The MAC a port names itself (NetworkPort's `AssociatedNetworkAddresses`, Port's
    /// `Ethernet.AssociatedMACAddresses`), if any.
    static func portMAC(_ port: JSONValue) -> String? {
        port["AssociatedNetworkAddresses"].array.compactMap(\.string).first
            ?? port["Ethernet"]["AssociatedMACAddresses"].array.compactMap(\.string).first
    }

    static func functionMAC(_ function: JSONValue) -> String? {
        (function["Ethernet"]["MACAddress"].string ?? function["Ethernet"]["PermanentMACAddress"].string)?
            .lowercased()
    }

    /// A link without a trailing slash, for comparing `/…/NetworkPorts/1/` with `/…/NetworkPorts/1`.
    static func pathKey(_ path: String) -> String {
        path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}

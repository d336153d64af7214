import Foundation
import Redfish

/// Machines and interfaces as MAAS prints them: canonical/maas `src/maasserver/api/machines.py`
/// (`DISPLAYED_MACHINE_FIELDS`), `nodes.py` (`owner` is the user name, `hardware_info`), `interfaces.py`
/// (`DISPLAYED_INTERFACE_FIELDS`), with nested zone, pool, domain and VLAN objects shaped as in
/// `src/maasserver/api/examples/machines.json` (`machines-commission`).
extension SimulatedMAAS {
    /// The architecture every lab machine reports (`architecture`, MAAS's `arch/subarch`).
    static let architecture = "amd64/generic"
    /// The domain machines are in (MAAS's default domain, id 0).
    static let domainName = "maas"
    /// The zone machines are in (MAAS's default zone, id 1).
    static let zoneName = "default"
    /// The resource pool machines are in (MAAS's default pool, id 0).
    static let poolName = "default"

    func fqdn(_ machine: Machine) -> String { "\(machine.hostname).\(Self.domainName)" }

    /// Whether the machine runs an OS MAAS sees (the ephemeral environment or a deployed one): powered on and
    /// past New.
    func booted(_ machine: Machine, now: Double) -> Bool {
        machine.status != .new && powerState(machine.index, now: now) == "on"
    }

    /// The machine as `machines/` and `machines/{system_id}/` answer.
    func render(_ machine: Machine, now: Double) -> JSONValue {
        let up = booted(machine, now: now)
        let interfaces = machine.macs.indices.map { interface(machine, $0, booted: up) }
        let unknown = JSONValue.string("Unknown")
        return .object([
            "system_id": .string(machine.systemID), "hostname": .string(machine.hostname),
            "fqdn": .string(fqdn(machine)), "description": .string(machine.description),
            "hardware_uuid": .string(machine.uuid), "domain": domainJSON, "zone": zoneJSON, "pool": poolJSON,
            "owner": machine.owner.map { .string($0) } ?? .null, "owner_data": .object([:]),
            "locked": .bool(false), "architecture": .string(Self.architecture), "min_hwe_kernel": .string(""),
            "hwe_kernel": .null, "cpu_count": .number(Double(machine.cpuCount)),
            "cpu_speed": .number(Double(machine.cpuSpeed)), "memory": .number(Double(machine.memoryMiB)),
            "swap_size": .null, "storage": .number(machine.storageMB),
            "status": .number(Double(machine.status.rawValue)), "status_name": .string(machine.status.name),
            "status_message": machine.statusMessage.map { .string($0) } ?? .null, "status_action": .string(""),
            "osystem": .string(machine.distro == nil ? "" : "ubuntu"), "distro_series": .string(machine.distro ?? ""),
            "netboot": .bool(machine.status != .deployed), "power_type": .string("redfish"),
            "power_state": .string(powerState(machine.index, now: now)),
            "tag_names": .array(machine.tags.sorted().map { .string($0) }),
            "ip_addresses": .array(up ? [.string(machine.hostAddress)] : []),
            "interface_set": .array(interfaces), "boot_interface": interfaces.first ?? .null,
            "node_type": .number(0), "node_type_name": .string("Machine"), "disable_ipv4": .bool(false),
            "bios_boot_method": .string("uefi"), "address_ttl": .null, "pod": .null, "parent": .null,
            "hardware_info": .object([
                "system_vendor": .string(machine.vendor), "system_product": .string(machine.product),
                "system_serial": .string(machine.serial), "system_version": unknown, "system_sku": unknown,
                "system_family": unknown, "cpu_model": unknown, "mainboard_vendor": .string(machine.vendor),
                "mainboard_product": unknown, "mainboard_firmware_version": unknown,
                "mainboard_firmware_date": unknown,
            ]),
            "resource_uri": .string("/MAAS/api/2.0/machines/\(machine.systemID)/"),
        ])
    }

    /// The interface id MAAS gives port `port` of `machine` (unique in the region).
    func interfaceID(_ machine: Machine, _ port: Int) -> Int { machine.index * 16 + port + 1 }

    /// An `interface_set` entry: a physical interface on the default fabric's untagged VLAN; the first port has
    /// a DHCP link on the host's subnet, whose address (and the one MAAS observed, `discovered`) appear once the
    /// machine has booted.
    func interface(_ machine: Machine, _ port: Int, booted: Bool) -> JSONValue {
        let up = port == 0 && booted
        let subnet = subnetJSON(machine.hostAddress)
        var link: [String: JSONValue] = ["id": .number(Double(interfaceID(machine, port))), "mode": .string("dhcp")]
        link["subnet"] = subnet
        if up { link["ip_address"] = .string(machine.hostAddress) }
        let id = interfaceID(machine, port)
        return .object([
            "id": .number(Double(id)), "system_id": .string(machine.systemID),
            "name": .string(port < machine.portNames.count ? machine.portNames[port] : "eth\(port)"),
            "type": .string("physical"), "mac_address": .string(machine.macs[port].lowercased()),
            "enabled": .bool(true), "effective_mtu": .number(1500), "tags": .array([]), "params": .string(""),
            "parents": .array([]), "children": .array([]), "vlan": vlanJSON,
            "links": .array(port == 0 ? [.object(link)] : []),
            "discovered": up
                ? .array([.object(["subnet": subnet, "ip_address": .string(machine.hostAddress)])]) : .null,
            "vendor": .null, "product": .null, "firmware_version": .null, "link_connected": .bool(true),
            "interface_speed": .number(1000), "link_speed": .number(up ? 1000 : 0), "numa_node": .number(0),
            "sriov_max_vf": .number(0),
            "resource_uri": .string("/MAAS/api/2.0/nodes/\(machine.systemID)/interfaces/\(id)/"),
        ])
    }

    /// The default fabric's untagged VLAN.
    var vlanJSON: JSONValue {
        .object([
            "id": .number(5001), "vid": .number(0), "name": .string("untagged"), "mtu": .number(1500),
            "fabric": .string("fabric-0"), "fabric_id": .number(0), "dhcp_on": .bool(true), "external_dhcp": .null,
            "relay_vlan": .null, "primary_rack": .null, "secondary_rack": .null, "space": .string("undefined"),
            "resource_uri": .string("/MAAS/api/2.0/vlans/5001/"),
        ])
    }

    /// The /24 (IPv4) or /64 (IPv6) around `address`, as a MAAS subnet on the default VLAN.
    func subnetJSON(_ address: String) -> JSONValue {
        let cidr: String
        if address.contains(":") {
            cidr =
                address.split(separator: ":", omittingEmptySubsequences: false).prefix(4).joined(separator: ":")
                + "::/64"
        } else {
            cidr = address.split(separator: ".").prefix(3).joined(separator: ".") + ".0/24"
        }
        return .object([
            "id": .number(1), "name": .string(cidr), "cidr": .string(cidr), "vlan": vlanJSON,
            "gateway_ip": .null, "dns_servers": .array([]), "space": .string("undefined"), "managed": .bool(true),
            "description": .string(""), "resource_uri": .string("/MAAS/api/2.0/subnets/1/"),
        ])
    }

    // MARK: Interfaces

    /// `nodes/{system_id}/interfaces/` (InterfacesHandler.read) and `…/interfaces/{id}/` (InterfaceHandler.read).
    func interfacesRoute(_ request: Request, systemID: String, _ rest: [String]) -> LabResponse {
        guard let machine = machines.first(where: { $0.systemID == systemID }) else {
            return LabResponse(status: 404, rawBody: "No Node matches the given query.")
        }
        guard request.method == "GET", request.op == nil else { return unrecognised(request) }
        let up = booted(machine, now: request.now)
        if rest.isEmpty { return json(.array(machine.macs.indices.map { interface(machine, $0, booted: up) })) }
        guard rest.count == 1,
            let port = machine.macs.indices.first(where: { "\(interfaceID(machine, $0))" == rest[0] })
        else {
            return LabResponse(status: 404, rawBody: "No Interface matches the given query.")
        }
        return json(interface(machine, port, booted: up))
    }
}

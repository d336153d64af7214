import Foundation
import Inventory
import Redfish

/// How each vendor's BMC reports the same hardware: the lab's server (`ServerModel`) is the truth, and a profile
/// changes only where and in which units it is written, the way these firmware families do (issue #21). Discovery,
/// the demo and the benchmarks read through the same normalisation they need for real BMCs.
///
/// - HPE iLO 5 (ProLiant Gen10/Gen10 Plus). Sources: HPE's iLO 5 resource map (github.com/HewlettPackard/
///   ilo-rest-api-docs, `ilo5_hpe_resourcedefns`: `Systems/{item}/SmartStorage/ArrayControllers/{item}/DiskDrives/
///   {item}` as `HpeSmartStorageDiskDrive`) and iLO answers of `HpeBaseNetworkAdapter.v2_0_0`. Drives behind a Smart
///   Array controller only under `Systems/1/SmartStorage/ArrayControllers/0/DiskDrives/{n}` (`CapacityMiB`,
///   `CapacityGB`, `MediaType`, `InterfaceType`, `Location`), linked from the system's `Oem.Hpe.Links.SmartStorage`;
///   `Systems/1/Storage` is empty. The host's ports only under `Systems/1/BaseNetworkAdapters/{n}` (`PhysicalPorts[]`
///   with `MacAddress`, `SpeedMbps`, `LinkStatus`), linked as `Oem.Hpe.Links.NetworkAdapters`. The system's
///   EthernetInterfaces list host ports only while HPE's Agentless Management Service runs in the host's OS, which a
///   server being commissioned has none of: the collection is empty.
/// - Dell iDRAC 8/9. Sources: iDRAC answers kept as test data in github.com/redhat-performance/badfish (a 10 GbE
///   port's EthernetInterface `SpeedMbps` 10240, Ids like `NIC.Integrated.1-1-1`), iDRAC answers in
///   github.com/mrlhansen/idrac_exporter issues 54 and 92 (`NetworkAdapters/NIC.Slot.2/NetworkPorts/NIC.Slot.2-1`
///   with `AssociatedNetworkAddresses`, `LinkStatus` `Up`, `SupportedLinkCapabilities`, beside
///   `NetworkDeviceFunctions`), and issue #21 (iDRAC 8 writes a 32 GB DIMM's `CapacityMiB` as 31250). 10 GbE is 10240
///   in EthernetInterfaces and in the port's `CurrentLinkSpeedMbps`; other rates are nominal (no public iDRAC answer
///   found writes 25 GbE as anything but 25000). Every port of a dual-port adapter under `Chassis/1/NetworkAdapters/
///   {FQDD}/NetworkPorts/{FQDD}-{n}`, its function under `NetworkDeviceFunctions/{FQDD}-{n}-1` (`Ethernet.MACAddress`,
///   `Links.PhysicalPortAssignment`). A DIMM's `CapacityMiB` is its decimal size over 1.024.
/// - Lenovo XClarity Controller 2 (ThinkSystem V2/V3). Sources: issue #21's account of XCC answers, and XCC answers
///   kept as test data in the libredfish crate (`src/model/testdata/ethernet_lenovo.json`: the XCC's side of the USB
///   NIC, `Managers/1/EthernetInterfaces/ToHost` at 169.254.95.118, the host's at 169.254.95.120). Manufacturer
///   `LNVO`, host MACs upper case (the colon-less `3CECEF000500` that issue #21 reports breaks the schema's `MACAddress`
///   pattern; it stays in the discovery fixtures), the virtual `ToManager` NIC (LAN over USB, 100 Mb) among the
///   host's EthernetInterfaces, adapter ports in the DMTF Port schema (`Chassis/1/NetworkAdapters/slot-{n}/Ports/{m}`:
///   `CurrentSpeedGbps`, `LinkStatus` `LinkUp`, `Ethernet.AssociatedMACAddresses`). The catalog has no Lenovo type,
///   so no catalog server gets this profile by its vendor: a server whose manufacturer is Lenovo does, or any server
///   through `Settings.profile` (its manufacturer is then reported as it is).
/// - Supermicro X11/X12. Sources: issue #21 (NVMe drives as `Protocol` `PCIe` with `MediaType` `SSD`; the DMTF
///   Protocol enumeration has both `PCIe` and `NVMe`) and the AMI BIOS defaults issue #21 lists. The SMBIOS fields
///   the integrator never filled carry AMI's placeholders: the system's `SKU` `Default string`, the chassis'
///   `SerialNumber` `0123456789` (the lab's truth has neither a SKU nor a chassis serial; its system serial and board
///   are reported as they are).
extension SimulatedBMC {
    /// A port's place on its adapter: ports are paired onto dual-port adapters in order (`enp1s0f0`, `enp1s0f1` on
    /// the first), the way `ServerModel` names them.
    struct AdapterPort {
        /// The port's index in `ServerModel.ports`.
        var index: Int
        /// The adapter's index (0 for the first).
        var adapter: Int
        /// The port's number on its adapter, from 1.
        var number: Int
    }

    /// The adapters, each with its ports.
    var adapters: [[AdapterPort]] {
        let ports = server.ports.indices.map { AdapterPort(index: $0, adapter: $0 / 2, number: $0 % 2 + 1) }
        return Dictionary(grouping: ports, by: \.adapter).sorted { $0.key < $1.key }.map(\.value)
    }

    /// An adapter's id: iDRAC's FQDD (`NIC.Integrated.1` for the first, `NIC.Slot.<n>` after), XCC's `slot-<n>`.
    func adapterID(_ adapter: Int) -> String {
        switch profile {
        case .dell: adapter == 0 ? "NIC.Integrated.1" : "NIC.Slot.\(adapter)"
        case .lenovo: "slot-\(adapter + 1)"
        default: "\(adapter + 1)"
        }
    }

    /// The id of the system's EthernetInterface for port `index` (also the last segment of its URI): iDRAC's
    /// partition FQDD (`NIC.Integrated.1-2-1`), XCC's `NIC<n>`, else the port's name in the host (`enp1s0f0`).
    func interfaceID(_ index: Int) -> String {
        switch profile {
        case .dell: "\(adapterID(index / 2))-\(index % 2 + 1)-1"
        case .lenovo: "NIC\(index + 1)"
        default: server.ports[index].name
        }
    }

    /// The system's EthernetInterfaces: none on HPE (no Agentless Management Service), XCC's `ToManager` after the
    /// ports on Lenovo.
    var interfaceIDs: [String] {
        switch profile {
        case .hpe: []
        case .lenovo: server.ports.indices.map(interfaceID) + ["ToManager"]
        default: server.ports.indices.map(interfaceID)
        }
    }

    /// The manufacturer as the BMC writes it: XCC writes Lenovo as `LNVO`.
    var reportedManufacturer: String {
        let name = server.manufacturer.lowercased()
        return profile == .lenovo && (name.hasPrefix("lenovo") || name == "lnvo") ? "LNVO" : server.manufacturer
    }

    /// A MAC as the BMC writes it: upper case on iDRAC and XCC. (XCC's colon-less form, kept in the discovery
    /// fixtures, breaks the schema's `MACAddress` pattern, which a lab BMC must follow to pass DMTF's Service
    /// Validator.)
    func reportedMAC(_ mac: String) -> String {
        profile == .dell || profile == .lenovo ? mac.uppercased() : mac
    }

    /// A link speed as the BMC writes it: iDRAC's 10 GbE is 10240.
    func reportedSpeedMbps(_ mbps: Int) -> Int {
        profile == .dell && mbps == 10_000 ? 10_240 : mbps
    }

    /// A DIMM's `CapacityMiB`: iDRAC writes the decimal gigabytes over 1.024 (32 GB → 31250).
    var reportedDIMMCapacityMiB: Int {
        profile == .dell ? server.dimmGiB * 1_000_000 / 1024 : server.dimmGiB * 1024
    }

    /// A drive's `Protocol`: Supermicro writes NVMe drives as `PCIe`.
    func reportedProtocol(_ drive: ServerModel.Drive) -> String {
        guard drive.kind == .nvme else { return "SATA" }
        return profile == .supermicro ? "PCIe" : "NVMe"
    }

    /// The system's `Oem` block: iLO's links to its own trees and its POST state.
    var systemOem: JSONValue? {
        guard profile == .hpe else { return nil }
        return .object([
            "Hpe": .object([
                "Links": .object([
                    "SmartStorage": Self.link("/Systems/1/SmartStorage"),
                    "NetworkAdapters": Self.link("/Systems/1/BaseNetworkAdapters"),
                ]),
                "PostState": .string(hpePostState),
            ])
        ])
    }

    /// The chassis' NetworkAdapters link, on the profiles whose BMC serves the tree (iDRAC, XCC).
    var chassisNetworkAdapters: JSONValue? {
        profile == .dell || profile == .lenovo ? Self.link("/Chassis/1/NetworkAdapters") : nil
    }

    // MARK: Routes

    /// Answers the vendor trees (HPE SmartStorage and BaseNetworkAdapters, the chassis' NetworkAdapters); nil for any
    /// other route.
    func vendorTreeRoute(_ route: Route) -> LabResponse? {
        guard route.method == "GET" else { return nil }
        switch profile {
        case .hpe: return smartStorageRoute(route) ?? baseNetworkAdapterRoute(route)
        case .dell, .lenovo: return networkAdapterRoute(route)
        default: return nil
        }
    }

    private func smartStorageRoute(_ route: Route) -> LabResponse? {
        let r = Self.root
        let base = "/Systems/1/SmartStorage"
        if route.is("GET", "Systems", "1", "SmartStorage") {
            return ok(
                .object([
                    "@odata.id": .string(r + base), "Id": .string("SmartStorage"), "Name": .string("HpeSmartStorage"),
                    "Links": .object(["ArrayControllers": Self.link(base + "/ArrayControllers")]),
                ]))
        }
        if route.is("GET", "Systems", "1", "SmartStorage", "ArrayControllers") {
            return ok(collection("ArrayControllers", server.drives.isEmpty ? [] : ["\(r)\(base)/ArrayControllers/0"]))
        }
        guard !server.drives.isEmpty else { return nil }
        let controller = base + "/ArrayControllers/0"
        if route.is("GET", "Systems", "1", "SmartStorage", "ArrayControllers", "0") {
            return ok(
                .object([
                    "@odata.id": .string(r + controller), "Id": .string("0"), "AdapterType": .string("SmartArray"),
                    "Model": .string("HPE Smart Array P408i-a SR Gen10"), "Location": .string("Slot 0"),
                    "Links": .object(["PhysicalDrives": Self.link(controller + "/DiskDrives")]),
                    "Status": .object(["State": .string("Enabled"), "Health": .string("OK")]),
                ]))
        }
        if route.is("GET", "Systems", "1", "SmartStorage", "ArrayControllers", "0", "DiskDrives") {
            return ok(collection("DiskDrives", server.drives.indices.map { "\(r)\(controller)/DiskDrives/\($0)" }))
        }
        if let id = route.id("GET", "Systems", "1", "SmartStorage", "ArrayControllers", "0", "DiskDrives") {
            guard let index = Int(id), server.drives.indices.contains(index) else {
                return .error(404, "Base.1.8.ResourceMissingAtURI", "No disk drive \(id).")
            }
            let drive = server.drives[index]
            return ok(
                .object([
                    "@odata.id": .string("\(r)\(controller)/DiskDrives/\(index)"), "Id": .string(id),
                    "Name": .string("HpeSmartStorageDiskDrive"), "Model": .string(drive.model),
                    "SerialNumber": .string(drive.serial),
                    // iLO rounds the capacity down to whole MiB, and states the decimal gigabytes beside it.
                    "CapacityMiB": .number(Double(drive.sizeBytes / 1_048_576)),
                    "CapacityGB": .number(Double(drive.sizeBytes / 1_000_000_000)),
                    "MediaType": .string(drive.kind == .hdd ? "HDD" : "SSD"),
                    "InterfaceType": .string(drive.kind == .nvme ? "NVMe" : "SATA"),
                    "Location": .string("1I:1:\(index + 1)"), "LocationFormat": .string("ControllerPort:Box:Bay"),
                    "Status": driveStatus(drive.name),
                ]))
        }
        return nil
    }

    private func baseNetworkAdapterRoute(_ route: Route) -> LabResponse? {
        let r = Self.root
        if route.is("GET", "Systems", "1", "BaseNetworkAdapters") {
            return ok(
                collection(
                    "BaseNetworkAdapters",
                    adapters.indices.map { "\(r)/Systems/1/BaseNetworkAdapters/\(adapterID($0))" }))
        }
        guard let id = route.id("GET", "Systems", "1", "BaseNetworkAdapters") else { return nil }
        guard let adapter = adapters.indices.first(where: { adapterID($0) == id }) else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No network adapter \(id).")
        }
        let ports = adapters[adapter].map { port in
            let truth = server.ports[port.index]
            return JSONValue.object([
                "MacAddress": .string(truth.mac), "SpeedMbps": .number(Double(truth.speedMbps)),
                "LinkStatus": .string(linkUp(port.index) ? "LinkUp" : "NoLink"), "FullDuplex": .bool(true),
                "Status": .object(["Health": .string("OK")]),
            ])
        }
        return ok(
            .object([
                "@odata.id": .string("\(r)/Systems/1/BaseNetworkAdapters/\(id)"), "Id": .string(id),
                "Name": .string(adapterName(adapter)), "StructuredName": .string("NIC.Slot.\(adapter + 1).1"),
                "PhysicalPorts": .array(ports),
                "Status": .object(["State": .string("Enabled"), "Health": .string("OK")]),
            ]))
    }

    private func networkAdapterRoute(_ route: Route) -> LabResponse? {
        let r = Self.root
        let base = "/Chassis/1/NetworkAdapters"
        if route.is("GET", "Chassis", "1", "NetworkAdapters") {
            return ok(collection("NetworkAdapters", adapters.indices.map { "\(r)\(base)/\(adapterID($0))" }))
        }
        guard route.parts.count >= 4, Array(route.parts.prefix(3)) == ["Chassis", "1", "NetworkAdapters"] else {
            return nil
        }
        let id = route.parts[3]
        guard let adapter = adapters.indices.first(where: { adapterID($0) == id }) else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No network adapter \(id).")
        }
        let path = "\(r)\(base)/\(id)"
        // iDRAC serves NetworkPorts (NetworkPort schema); XCC 2 the DMTF Port schema as Ports.
        let portsName = profile == .dell ? "NetworkPorts" : "Ports"
        let ports = adapters[adapter]
        func portID(_ port: AdapterPort) -> String { profile == .dell ? "\(id)-\(port.number)" : "\(port.number)" }
        func functionID(_ port: AdapterPort) -> String {
            profile == .dell ? "\(id)-\(port.number)-1" : "\(port.number).1"
        }
        let rest = Array(route.parts.dropFirst(4))
        if rest.isEmpty {
            return ok(
                .object([
                    "@odata.id": .string(path), "Id": .string(id), "Name": .string(adapterName(adapter)),
                    "Model": .string(adapterName(adapter)),
                    portsName: Self.link("\(base)/\(id)/\(portsName)"),
                    "NetworkDeviceFunctions": Self.link("\(base)/\(id)/NetworkDeviceFunctions"),
                    "Status": .object(["State": .string("Enabled"), "Health": .string("OK")]),
                ]))
        }
        if rest == [portsName] {
            return ok(collection(portsName, ports.map { "\(path)/\(portsName)/\(portID($0))" }))
        }
        if rest.count == 2, rest[0] == portsName {
            guard let port = ports.first(where: { portID($0) == rest[1] }) else {
                return .error(404, "Base.1.8.ResourceMissingAtURI", "No port \(rest[1]) on \(id).")
            }
            return ok(networkPort(port, id: rest[1], path: "\(path)/\(portsName)/\(rest[1])"))
        }
        if rest == ["NetworkDeviceFunctions"] {
            return ok(
                collection("NetworkDeviceFunctions", ports.map { "\(path)/NetworkDeviceFunctions/\(functionID($0))" }))
        }
        guard rest.count == 2, rest[0] == "NetworkDeviceFunctions" else { return nil }
        let name = rest[1]
        guard let port = ports.first(where: { functionID($0) == name }) else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No network device function \(name) on \(id).")
        }
        let mac = server.ports[port.index].mac.uppercased()
        return ok(
            .object([
                "@odata.id": .string("\(path)/NetworkDeviceFunctions/\(name)"), "Id": .string(name),
                "NetDevFuncType": .string("Ethernet"),
                "Ethernet": .object(["MACAddress": .string(mac), "PermanentMACAddress": .string(mac)]),
                // iDRAC's ports are NetworkPorts (`PhysicalPortAssignment`); XCC's are Ports, linked under the
                // property the schema gives Port (`PhysicalNetworkPortAssignment`).
                "Links": .object([
                    profile == .dell ? "PhysicalPortAssignment" : "PhysicalNetworkPortAssignment": .object([
                        "@odata.id": .string("\(path)/\(portsName)/\(portID(port))")
                    ])
                ]),
                "Status": .object(["State": .string("Enabled")]),
            ]))
    }

    /// One port: iDRAC's NetworkPort (`CurrentLinkSpeedMbps`, `AssociatedNetworkAddresses`, `Up`) or XCC's Port
    /// (`CurrentSpeedGbps`, `Ethernet.AssociatedMACAddresses`, `LinkUp`).
    private func networkPort(_ port: AdapterPort, id: String, path: String) -> JSONValue {
        let truth = server.ports[port.index]
        let mac = truth.mac.uppercased()
        if profile == .dell {
            let speed = Double(reportedSpeedMbps(truth.speedMbps))
            return .object([
                "@odata.id": .string(path), "Id": .string(id), "Name": .string("Network Port View"),
                "PhysicalPortNumber": .string(String(port.number)), "ActiveLinkTechnology": .string("Ethernet"),
                "AssociatedNetworkAddresses": .array([.string(mac)]), "CurrentLinkSpeedMbps": .number(speed),
                "LinkStatus": .string(linkUp(port.index) ? "Up" : "Down"),
                "SupportedLinkCapabilities": .array([
                    .object(["LinkNetworkTechnology": .string("Ethernet"), "LinkSpeedMbps": .number(speed)])
                ]),
                "Status": .object(["State": .string("Enabled"), "Health": .string("OK")]),
            ])
        }
        let gbps = Double(truth.speedMbps) / 1000
        return .object([
            "@odata.id": .string(path), "Id": .string(id), "PortProtocol": .string("Ethernet"),
            "CurrentSpeedGbps": .number(gbps), "MaxSpeedGbps": .number(gbps),
            "LinkStatus": .string(linkUp(port.index) ? "LinkUp" : "LinkDown"),
            "Ethernet": .object(["AssociatedMACAddresses": .array([.string(mac)])]),
            "Status": .object(["State": .string("Enabled"), "Health": .string("OK")]),
        ])
    }

    /// A dual-port adapter's name after its ports' speed.
    private func adapterName(_ adapter: Int) -> String {
        let ports = adapters[adapter]
        let mbps = ports.first.map { server.ports[$0.index].speedMbps } ?? 0
        let speed = mbps >= 1000 ? "\(mbps / 1000)Gb" : "\(mbps)Mb"
        return "Ethernet \(speed) \(ports.count)-port Adapter"
    }

    /// XCC's virtual NIC to itself among the host's interfaces (LAN over USB).
    var toManagerInterface: JSONValue {
        // A locally administered address of the USB NIC, derived from the BMC's.
        let mac = "0A" + reportedMAC(server.bmcMAC).uppercased().dropFirst(2)
        return .object([
            "@odata.id": .string(Self.root + "/Systems/1/EthernetInterfaces/ToManager"), "Id": .string("ToManager"),
            "Name": .string("Manager Ethernet Interface"), "Description": .string("Ethernet Interface to Manager"),
            "MACAddress": .string(mac), "PermanentMACAddress": .string(mac), "SpeedMbps": .number(100),
            "LinkStatus": .string("LinkUp"),
            "IPv4Addresses": .array([
                .object([
                    "Address": .string("169.254.95.120"), "SubnetMask": .string("255.255.0.0"),
                    "AddressOrigin": .string("Static"),
                ])
            ]),
            "Status": .object(["State": .string("Enabled"), "Health": .string("OK")]),
        ])
    }
}

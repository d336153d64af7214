import Foundation
import Redfish

/// Drives: the system's `Storage` → each storage's `Drives` (`CapacityBytes`, `MediaType`/`Protocol`,
/// `Status.Health`/`State`), read expanded where the service expands; else `SimpleStorage` devices (DMTF's
/// public-rackmount1 has only these); else, on HPE iLO 5, whose Storage collection is empty behind a Smart Array
/// controller, its SmartStorage disk drives (see `RedfishInventoryReader+HPE.swift` for the shapes). Absent drives
/// are kept, with their state, for the checks to judge.
extension BoardingReader {
    func readDrives(_ system: JSONValue, _ facts: inout BoardingFacts) async -> [BoardingFacts.Drive] {
        var failures: [RedfishWalk.Failure] = []
        let found = await walk.drives(ofStorage: system["Storage"]["@odata.id"].string, &failures)
        record(failures, &facts)
        var drives = found.map { link, drive in
            BoardingFacts.Drive(
                name: drive["Id"].string ?? Self.lastSegment(link),
                capacityBytes: ParsedNumber.bytes(drive["CapacityBytes"].double),
                kind: Self.driveKind(protocol: drive["Protocol"].string, media: drive["MediaType"].string),
                health: drive["Status"]["Health"].string, state: drive["Status"]["State"].string, path: link)
        }
        if drives.isEmpty {
            for controller in await members(of: system["SimpleStorage"]["@odata.id"].string, &facts) {
                let path = controller["@odata.id"].string ?? "SimpleStorage"
                for (index, device) in controller["Devices"].array.enumerated() {
                    drives.append(
                        BoardingFacts.Drive(
                            name: device["Name"].string ?? "device \(index)",
                            capacityBytes: ParsedNumber.bytes(device["CapacityBytes"].double),
                            health: device["Status"]["Health"].string, state: device["Status"]["State"].string,
                            path: "\(path)#/Devices/\(index)"))
                }
            }
        }
        if drives.isEmpty { drives = await readSmartStorage(system, &facts) }
        return drives
    }

    /// `NVMe` when the protocol says so, else the media type (`SSD`, `HDD`), else the protocol.
    static func driveKind(protocol transport: String?, media: String?) -> String? {
        transport?.uppercased() == "NVME" ? "NVMe" : media ?? transport
    }

    /// iLO 5's SmartStorage disk drives (`Oem.Hpe.Links.SmartStorage` → `ArrayControllers` → `DiskDrives`).
    private func readSmartStorage(_ system: JSONValue, _ facts: inout BoardingFacts) async -> [BoardingFacts.Drive] {
        guard let path = RedfishInventoryReader.hpeLink(system, "SmartStorage"),
            let smart = await fetch(path, &facts)
        else { return [] }
        let controllers =
            smart["Links"]["ArrayControllers"]["@odata.id"].string ?? smart["ArrayControllers"]["@odata.id"].string
        var drives: [BoardingFacts.Drive] = []
        for controller in await members(of: controllers, &facts) {
            let drivesPath =
                controller["Links"]["PhysicalDrives"]["@odata.id"].string
                ?? controller["PhysicalDrives"]["@odata.id"].string ?? controller["DiskDrives"]["@odata.id"].string
            for drive in await members(of: drivesPath, &facts) {
                drives.append(
                    BoardingFacts.Drive(
                        name: drive["Location"].string ?? drive["Id"].string ?? "drive \(drives.count)",
                        capacityBytes: RedfishInventoryReader.smartStorageBytes(drive),
                        kind: Self.driveKind(protocol: drive["InterfaceType"].string, media: drive["MediaType"].string),
                        health: drive["Status"]["Health"].string, state: drive["Status"]["State"].string,
                        path: drive["@odata.id"].string ?? drivesPath ?? path))
            }
        }
        return drives
    }

    /// iLO's host ports from its BaseNetworkAdapters (`Oem.Hpe.Links.NetworkAdapters`: `PhysicalPorts[]` with
    /// `MacAddress`, `SpeedMbps`, `LinkStatus`), named `<adapter>.<n>` as inventory discovery names them.
    func readBaseNetworkAdapters(_ system: JSONValue, _ facts: inout BoardingFacts) async -> [BoardingFacts.Link] {
        guard let path = RedfishInventoryReader.hpeLink(system, "NetworkAdapters") else { return [] }
        var links: [BoardingFacts.Link] = []
        for adapter in await members(of: path, &facts) {
            let adapterID = adapter["Id"].string ?? "adapter"
            for (index, port) in adapter["PhysicalPorts"].array.enumerated() {
                links.append(
                    BoardingFacts.Link(
                        name: "\(adapterID).\(index + 1)", mac: port["MacAddress"].string,
                        linkUp: RedfishInventoryReader.linkUp(port["LinkStatus"].string),
                        speedMbps: port["SpeedMbps"].int, state: port["Status"]["State"].string))
            }
        }
        return links
    }
}

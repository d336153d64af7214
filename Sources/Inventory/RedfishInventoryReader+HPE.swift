import Redfish

/// HPE iLO's own trees, read when the standard ones are empty or absent.
///
/// Shapes from HPE's iLO 5 Redfish resource definitions (github.com/HewlettPackard/ilo-rest-api-docs,
/// `_ilo5_resourcedefns.md`: HpeSmartStorage, HpeSmartStorageArrayController, HpeSmartStorageDiskDrive v2,
/// HpeBaseNetworkAdapter v2) and answers of ProLiant Gen10 / Gen10 Plus servers:
///
/// - iLO 5 (ProLiant Gen10) lists drives behind a Smart Array controller only under `Systems/1/SmartStorage/
///   ArrayControllers/{id}/DiskDrives/{n}`, linked from the system's `Oem.Hpe.Links.SmartStorage` (iLO 4: `Oem.Hp`),
///   the controller linking its drives as `Links.PhysicalDrives`. A drive states `CapacityMiB` (600 GB SAS: 572325)
///   and `CapacityGB` (600), `MediaType` (`HDD`/`SSD`), `InterfaceType` (`SAS`/`SATA`/`NVMe`), `Model`
///   (`EG000600JWJNH`), `Location` (`1I:1:1`). `Systems/1/Storage` is empty or absent unless the controller runs in
///   a mode iLO reports through the standard schema (iLO 5 2.x with SR controllers, iLO 6).
/// - iLO 4/5 list network ports under `Systems/1/BaseNetworkAdapters/{id}` (`Oem.Hpe.Links.NetworkAdapters`):
///   `PhysicalPorts[]` with `MacAddress`, `SpeedMbps` (0 without a link, or without the Agentless Management
///   Service) and `LinkStatus`. iLO 6 (Gen11) deprecates it for the standard `Chassis/1/NetworkAdapters`.
extension RedfishInventoryReader {
    /// Physical drives from SmartStorage, when the system links it.
    func readSmartStorage(_ system: JSONValue, into inventory: inout Inventory) async {
        guard let path = Self.hpeLink(system, "SmartStorage"), let smart = await fetch(path, .storage, &inventory)
        else { return }
        let controllersPath =
            smart["Links"]["ArrayControllers"]["@odata.id"].string
            ?? smart["ArrayControllers"]["@odata.id"].string
        var drives: [StorageDevice] = []
        for controller in await members(of: controllersPath, .storage, &inventory) {
            let drivesPath =
                controller["Links"]["PhysicalDrives"]["@odata.id"].string
                ?? controller["PhysicalDrives"]["@odata.id"].string ?? controller["DiskDrives"]["@odata.id"].string
            for drive in await members(of: drivesPath, .storage, &inventory)
            where drive["Status"]["State"].string != "Absent" {
                guard let bytes = Self.smartStorageBytes(drive) else { continue }
                let transport = drive["InterfaceType"].string
                drives.append(
                    StorageDevice(
                        name: drive["Location"].string ?? drive["Id"].string ?? "drive\(drives.count)",
                        model: drive["Model"].string, sizeBytes: bytes,
                        kind: Self.kind(transport: transport, media: drive["MediaType"].string),
                        serial: drive["SerialNumber"].string, transport: transport,
                        mediaType: drive["MediaType"].string))
            }
        }
        if !drives.isEmpty {
            inventory.storage = drives
            inventory.note("storage", from: "\(label) SmartStorage")
        }
    }

    /// A SmartStorage drive's size: `CapacityMiB` (exact), else `CapacityGB` (decimal), else `CapacityBytes`.
    static func smartStorageBytes(_ drive: JSONValue) -> Int64? {
        if let mib = drive["CapacityMiB"].double, let bytes = ParsedNumber.bytes(mib * 1_048_576) { return bytes }
        if let gb = drive["CapacityGB"].double, let bytes = ParsedNumber.bytes(gb * 1e9) { return bytes }
        return ParsedNumber.bytes(drive["CapacityBytes"].double)
    }

    /// Ports from BaseNetworkAdapters, merged by MAC; the number read.
    func readBaseNetworkAdapters(_ system: JSONValue, into inventory: inout Inventory) async -> Int {
        guard let path = Self.hpeLink(system, "NetworkAdapters") else { return 0 }
        var count = 0
        for adapter in await members(of: path, .nics, &inventory) {
            let adapterID = adapter["Id"].string ?? "adapter"
            for (index, port) in adapter["PhysicalPorts"].array.enumerated() {
                var nic = NetworkInterface(name: "\(adapterID).\(index + 1)")
                nic.mac = port["MacAddress"].string?.lowercased()
                nic.speedMbps = port["SpeedMbps"].int.flatMap { $0 > 0 ? $0 : nil }
                nic.linkUp = Self.linkUp(port["LinkStatus"].string)
                nic.label = Self.meaningful(adapter["Name"].string)
                Self.merge(nic, into: &inventory)
                count += 1
            }
        }
        return count
    }

    /// `Oem.Hpe.Links.<name>` (iLO 5/6), `Oem.Hpe.<name>`, or iLO 4's `Oem.Hp…` equivalents.
    static func hpeLink(_ system: JSONValue, _ name: String) -> String? {
        for oem in ["Hpe", "Hp"] {
            let block = system["Oem"][oem]
            if let link = block["Links"][name]["@odata.id"].string ?? block[name]["@odata.id"].string { return link }
        }
        return nil
    }
}

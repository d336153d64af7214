import Foundation
import Redfish

extension RedfishClient {
    /// The server's firmware: the UpdateService's FirmwareInventory when the BMC has one, else the system's
    /// `BiosVersion` and the manager's `FirmwareVersion`. `system` (an Id) picks the system on a BMC with several.
    public func firmwareInventory(system: String? = nil) async throws(RedfishError) -> FirmwareInventory {
        let root = try await serviceRoot()
        if let service = root["UpdateService"]["@odata.id"].string,
            let inventory = try? await fetch(service).body["FirmwareInventory"]["@odata.id"].string,
            let members = try? await fetch(inventory).body["Members"].array, !members.isEmpty
        {
            var items: [FirmwareInventory.Item] = []
            for member in members {
                // Expanded collections carry the members inline; otherwise each is read.
                let document: JSONValue
                if member["Version"].string != nil {
                    document = member
                } else if let path = member["@odata.id"].string {
                    document = try await fetch(path).body
                } else {
                    continue
                }
                guard let version = document["Version"].string else { continue }
                let id = document["Id"].string ?? ""
                let name = document["Name"].string ?? id
                let related = document["RelatedItem"].array.compactMap { $0["@odata.id"].string }
                items.append(
                    FirmwareInventory.Item(
                        id: id, name: name,
                        component: FirmwareInventory.component(id: id, name: name, related: related),
                        version: version, updateable: document["Updateable"].bool,
                        state: document["Status"]["State"].string, health: document["Status"]["Health"].string))
            }
            if items.contains(where: { $0.component != .other }) {
                return FirmwareInventory(items: items, source: "redfish")
            }
        }
        var bios: String?
        if let path = try await systemPath(system) {
            bios = try await fetch(path).body["BiosVersion"].string
        }
        var bmc: String?
        if let managers = try? await members(of: "Managers"), let manager = managers.first {
            bmc = try? await fetch(manager).body["FirmwareVersion"].string
        }
        return FirmwareInventory.from(biosVersion: bios, bmcVersion: bmc, source: "redfish-summary")
    }

    /// The path of the system whose Id is `id` (the first system when nil).
    public func systemPath(_ id: String?) async throws(RedfishError) -> String? {
        let systems = try await members(of: "Systems")
        guard let id else { return systems.first }
        return systems.first { $0.hasSuffix("/" + id) }
    }
}

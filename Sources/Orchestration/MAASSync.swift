import Foundation
import Inventory
import MAAS
import Store

/// Brings MAAS's machines into the store and says where the two disagree (`hwautomation maas sync`).
public enum MAASSync {
    /// One machine's outcome.
    public struct Row: Sendable, Hashable, Codable {
        /// MAAS's id.
        public var systemID: String
        /// MAAS's hostname.
        public var hostname: String
        /// MAAS's status name.
        public var maasStatus: String
        /// Our server, when there is one.
        public var server: String?
        /// `imported` (new to us), `linked` (matched by serial or MAC now), `known` (matched before), `gone` (ours
        /// names a machine MAAS no longer has).
        public var action: String
        /// Where MAAS and our records disagree.
        public var drift: [String]

        enum CodingKeys: String, CodingKey {
            case systemID = "system_id"
            case hostname
            case maasStatus = "maas_status"
            case server, action, drift
        }
    }

    /// HWAutomation's tags for a type, vendor and confidence (`hwa-type-s2-c2-small`, ...).
    public static func tags(type: String, vendor: String?, confidence: String?) -> [String] {
        [
            "hwa-type-" + slug(type), vendor.map { "hwa-vendor-" + slug($0) },
            confidence.map { "hwa-confidence-" + slug($0) },
        ]
        .compactMap { $0 }
    }

    /// A MAAS tag name part: lower case, anything but letters, digits and `-` made `-`.
    public static func slug(_ text: String) -> String {
        String(text.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
    }

    /// Imports or links every MAAS machine (by our recorded system id, then serial, then MAC) and reports drift:
    /// a type tag that is not our type, a server we call commissioned that MAAS does not have Ready (or later), and
    /// servers whose machine MAAS no longer lists.
    public static func run(client: MAASClient, store: any Store) async throws -> [Row] {
        let machines = try await client.machines()
        let servers = try await store.servers()
        var rows: [Row] = []
        var claimed: Set<String> = []
        for machine in machines {
            let match =
                servers.first { $0.maasSystemID == machine.systemID }
                ?? servers.first { server in server.maasSystemID == nil && sameHardware(server, machine) }
            guard var server = match, !claimed.contains(server.id) else {
                let id = servers.contains { $0.id == machine.hostname } ? machine.systemID : machine.hostname
                try await store.upsertServer(
                    ServerRecord(id: id, name: machine.hostname, maasSystemID: machine.systemID))
                rows.append(
                    Row(
                        systemID: machine.systemID, hostname: machine.hostname, maasStatus: machine.statusName,
                        server: id, action: "imported", drift: []))
                continue
            }
            claimed.insert(server.id)
            let action = server.maasSystemID == nil ? "linked" : "known"
            var drift: [String] = []
            let typeTags = machine.tagNames.filter { $0.hasPrefix("hwa-type-") }
            if let type = server.deviceType {
                let ours = "hwa-type-" + slug(type)
                if typeTags.isEmpty {
                    drift.append("MAAS has no hwa-type tag; ours is \(type)")
                } else if typeTags != [ours] {
                    drift.append("MAAS tags \(typeTags.joined(separator: ", ")); ours is \(type)")
                }
            } else if !typeTags.isEmpty {
                drift.append("MAAS tags \(typeTags.joined(separator: ", ")); we have no type")
            }
            let commissionedStates = [
                MAASMachine.Status.ready, MAASMachine.Status.allocated, MAASMachine.Status.deploying,
                MAASMachine.Status.deployed,
            ]
            if server.status == "commissioned", !commissionedStates.contains(machine.status) {
                drift.append("we say commissioned; MAAS says \(machine.statusName)")
            }
            server.maasSystemID = machine.systemID
            server.updatedAt = Date()
            try await store.upsertServer(server)
            rows.append(
                Row(
                    systemID: machine.systemID, hostname: machine.hostname, maasStatus: machine.statusName,
                    server: server.id, action: action, drift: drift))
        }
        let listed = Set(machines.map(\.systemID))
        for server in servers {
            guard let id = server.maasSystemID, !listed.contains(id) else { continue }
            rows.append(
                Row(
                    systemID: id, hostname: server.name, maasStatus: "-", server: server.id, action: "gone",
                    drift: ["MAAS no longer lists machine \(id)"]))
        }
        return rows
    }

    /// Same serial, or a MAC in common, by the server's stored inventory.
    static func sameHardware(_ server: ServerRecord, _ machine: MAASMachine) -> Bool {
        guard let json = server.inventory,
            let inventory = try? JSONDecoder().decode(Inventory.self, from: Data(json.utf8))
        else { return false }
        if let serial = inventory.system.serial, serial == machine.serial { return true }
        let macs = Set(inventory.nics.compactMap { $0.mac?.lowercased() })
        return !macs.isDisjoint(with: machine.macAddresses)
    }
}

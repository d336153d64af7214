import ArgumentParser
import Catalog
import Foundation
import Orchestration
import Store

/// Which stored servers a fleet command covers (drift, firmware rollout): exactly one of --server, --batch, --type,
/// --all.
struct ServerSelectionOptions: ParsableArguments {
    @Option(help: "A stored server (repeatable).") var server: [String] = []
    @Option(help: ArgumentHelp("The servers of a batch inventory file (YAML or CSV), by name.", valueName: "file"))
    var batch: String?
    @Option(
        name: [.customLong("type"), .customLong("device-type")],
        help: ArgumentHelp("Every stored server recorded as this device type.", valueName: "type"))
    var type: String?
    @Flag(help: "Every stored server with a BMC address.") var all = false

    func validate() throws {
        guard [!server.isEmpty, batch != nil, type != nil, all].filter({ $0 }).count == 1 else {
            throw ValidationError("give one of --server, --batch, --type or --all")
        }
    }

    /// The stored servers selected.
    func servers(store: any Store, catalog: Catalog) async throws -> [ServerRecord] {
        var names = server
        if let batch {
            do {
                names = try BatchInventory.load(batch).entries.map(\.name)
            } catch {
                throw CommandFailure("\(error)")
            }
        }
        let selection = try await serving { () throws(ServiceError) in
            try ServerSelection(servers: names, deviceType: type, all: all)
        }
        let servers = try await serving { () async throws(ServiceError) in
            try await selection.servers(store: store, catalog: catalog)
        }
        guard !servers.isEmpty else {
            throw CommandFailure(
                "no stored server " + (type.map { "of type \($0) " } ?? "") + "has a BMC address to check")
        }
        return servers
    }
}

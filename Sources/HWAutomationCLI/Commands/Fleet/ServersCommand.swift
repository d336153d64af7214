import ArgumentParser
import Foundation
import Orchestration
import Store

/// `hwautomation servers`.
struct ServersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "servers",
        abstract: "The servers HWAutomation knows: their BMC, type, confidence, status and tags.",
        subcommands: [
            ServersListCommand.self, ServersShowCommand.self, ServersAddCommand.self, ServersRemoveCommand.self,
            ServersRecommendCommand.self,
        ])
}

struct ServersListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every server.")
    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let store = try await self.store.open()
        var servers = try await exitingOnError { try await store.servers() }
        for index in servers.indices { servers[index].inventory = nil }
        if json {
            print(try Terminal.json(servers))
            return
        }
        var table = TextTable(["ID", "BMC", "TYPE", "CONFIDENCE", "STATUS", "TAGS"])
        for server in servers {
            table.add([
                server.id, server.bmcAddress ?? "-", server.deviceType ?? "-", server.confidence ?? "-", server.status,
                server.tags.joined(separator: ","),
            ])
        }
        print(servers.isEmpty ? "no servers (add one with `hwautomation servers add`)" : table.render())
    }
}

struct ServersShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One server, with its inventory.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Server id.") var id: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let store = try await self.store.open()
        guard let server = try await exitingOnError({ try await store.server(id: id) }) else {
            throw CommandFailure("no server \(id) (`hwautomation servers list`)")
        }
        if json {
            print(try Terminal.json(server))
            return
        }
        print("\(server.id) (\(server.name))")
        print("  BMC:        \(server.bmcAddress ?? "-")  credential \(server.credential ?? "-")")
        print("  SSH:        \(server.sshHost ?? "-")")
        print("  type:       \(server.deviceType ?? "-")  confidence \(server.confidence ?? "-")")
        print("  status:     \(server.status)")
        print("  tags:       \(server.tags.joined(separator: ", "))")
        print("  inventory:  \(server.inventory == nil ? "not discovered" : "stored (servers show --json)")")
    }
}

struct ServersAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add (or update) a server by its BMC; `workflow run --server ID` runs over it.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Server id (a name you choose, or the serial).") var id: String
    @Option(help: ArgumentHelp("The BMC's Redfish URL.", valueName: "url")) var bmc: String
    @Option(help: "Stored credential for the BMC.") var credential: String?
    @Option(help: ArgumentHelp("SSH destination for in-band discovery.", valueName: "user@host")) var ssh: String?
    @Option(help: "Display name.") var name: String?

    func run() async throws {
        let store = try await self.store.open()
        let change = ServerChange(name: name, bmc: bmc, credential: credential, sshHost: ssh)
        let id = self.id
        _ = try await serving { () async throws(ServiceError) in
            try await ServerService(store: store).save(id, change, mode: .upsert, actor: "cli")
        }
        print("stored server \(id)")
    }
}

struct ServersRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Forget a server.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Server id.") var id: String

    func run() async throws {
        let store = try await self.store.open()
        let id = self.id
        try await serving { () async throws(ServiceError) in
            try await ServerService(store: store).remove(id, actor: "cli")
        }
        print("removed server \(id)")
    }
}

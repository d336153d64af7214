import ArgumentParser
import Foundation
import Store

/// `hwautomation pool`.
struct PoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "BMC address pools: ranges less exclusions; one address per server, never two servers one address.",
        subcommands: [PoolAddCommand.self, PoolListCommand.self, PoolAssignCommand.self, PoolReleaseCommand.self])
}

struct PoolAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Define (or redefine) a pool.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Pool name.") var name: String
    @Option(
        name: .customLong("range"),
        help: ArgumentHelp("10.0.0.10-10.0.0.50 or 10.0.1.0/28; repeatable.", valueName: "range"))
    var ranges: [String]
    @Option(
        name: .customLong("exclude"),
        help: ArgumentHelp("Address or range to leave out; repeatable.", valueName: "range"))
    var exclusions: [String] = []

    func run() async throws {
        let store = try await self.store.open()
        try await exitingOnError {
            try await store.definePool(name: name, ranges: ranges, exclusions: exclusions)
        }
        print("pool \(name) defined")
    }
}

struct PoolListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "A pool's assignments.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Pool name.") var name: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let store = try await self.store.open()
        let list = try await exitingOnError { try await store.assignments(pool: name) }
        if json {
            print(try Terminal.json(list))
            return
        }
        var table = TextTable(["ADDRESS", "SERVER"])
        for item in list { table.add([item.address, item.serverID]) }
        print(table.render())
    }
}

struct PoolAssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "The server's address in the pool (given once, kept).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Pool name.") var name: String
    @Option(help: "Server id.") var server: String

    func run() async throws {
        let store = try await self.store.open()
        print(try await exitingOnError { try await store.assign(pool: name, serverID: server) })
    }
}

struct PoolReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "Give a server's address back.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Pool name.") var name: String
    @Option(help: "Server id.") var server: String

    func run() async throws {
        let store = try await self.store.open()
        let released = try await exitingOnError {
            try await store.release(pool: name, serverID: server)
        }
        guard released else {
            throw CommandFailure("server \(server) has no address in pool \(name)")
        }
        print("released")
    }
}

import ArgumentParser
import Foundation
import Store

/// `hwautomation credentials`.
struct CredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials",
        abstract: "Store BMC, SSH and MAAS secrets, encrypted (AES-GCM) with a key file you own.",
        subcommands: [CredentialsSetCommand.self, CredentialsListCommand.self, CredentialsRemoveCommand.self])
}

struct CredentialsSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Store a secret read from standard input (or an environment variable), never from arguments.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Credential name.") var name: String
    @Option(help: "User the secret belongs to.") var user: String?
    @Option(help: "Kind (bmc, ssh, maas).") var kind = "bmc"
    @Option(name: .customLong("from-env"), help: ArgumentHelp("Read the secret from this variable.", valueName: "var"))
    var fromEnv: String?

    func run() async throws {
        let secret: String
        if let fromEnv {
            guard let value = ProcessInfo.processInfo.environment[fromEnv], !value.isEmpty else {
                Terminal.printError("error: the environment variable \(fromEnv) is not set")
                throw ExitCode(1)
            }
            secret = value
        } else {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        guard !secret.isEmpty else {
            Terminal.printError("error: the secret is empty (give it on standard input or with --from-env)")
            throw ExitCode(1)
        }
        let store = try await self.store.open()
        try await storeCall { () throws(StoreError) in
            try await store.putCredential(name: name, user: user, secret: secret, kind: kind)
            try await store.audit(
                AuditEntry(actor: "cli", action: "credential.set", target: name, detail: "kind \(kind)"))
        }
        print("stored credential \(name)")
    }
}

struct CredentialsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List credentials (never their secrets).")
    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let store = try await self.store.open()
        let list = try await storeCall { () throws(StoreError) in try await store.credentials() }
        if json {
            print(try Terminal.json(list))
            return
        }
        var table = TextTable(["NAME", "USER", "KIND", "CREATED"])
        for item in list {
            table.add([item.name, item.user ?? "-", item.kind, ISO8601DateFormatter().string(from: item.created)])
        }
        print(table.render())
    }
}

struct CredentialsRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a credential.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Credential name.") var name: String

    func run() async throws {
        let store = try await self.store.open()
        let removed = try await storeCall { () throws(StoreError) in try await store.deleteCredential(name: name) }
        guard removed else {
            Terminal.printError("error: no credential \(name)")
            throw ExitCode(1)
        }
        print("removed credential \(name)")
    }
}

import ArgumentParser
import Foundation
import Store

/// `hwautomation credentials`.
struct CredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials",
        abstract: "Store BMC, SSH and MAAS secrets, encrypted (AES-GCM) with a key file you own.",
        subcommands: [
            CredentialsSetCommand.self, CredentialsBindCommand.self, CredentialsListCommand.self,
            CredentialsRemoveCommand.self,
        ])
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
    @Option(
        name: .customLong("allow"),
        help: ArgumentHelp(
            "An address it may be used against (repeatable): an IPv4/IPv6 CIDR, an IP, a hostname, or a hostname "
                + "glob with * (within one label). An IP-literal BMC matches only IPs and CIDRs, a hostname only "
                + "hostname patterns (no DNS); ports are ignored. None: usable against any address.",
            valueName: "address"))
    var allow: [String] = []
    @Flag(
        name: .customLong("allow-plain-http"),
        help: "Allow sending it over plain http:// (labs only; otherwise https, or IPMI, only).")
    var allowPlainHTTP = false

    func run() async throws {
        let scope: CredentialScope
        do {
            scope = try CredentialScope(parsing: allow, allowPlainHTTP: allowPlainHTTP)
        } catch {
            throw CommandFailure("--allow \(error)")
        }
        let secret: String
        if let fromEnv {
            guard let value = ProcessInfo.processInfo.environment[fromEnv], !value.isEmpty else {
                throw CommandFailure("the environment variable \(fromEnv) is not set")
            }
            secret = value
        } else {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        guard !secret.isEmpty else {
            throw CommandFailure("the secret is empty (give it on standard input or with --from-env)")
        }
        let store = try await self.store.open()
        try await exitingOnError {
            try await store.putCredential(name: name, user: user, secret: secret, kind: kind, scope: scope)
            try await store.audit(
                AuditEntry(
                    actor: "cli", action: "credential.set", target: name,
                    detail: "kind \(kind); \(CredentialsListCommand.describe(scope))"))
        }
        print("stored credential \(name) (\(CredentialsListCommand.describe(scope)))")
    }
}

struct CredentialsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List credentials (never their secrets).")
    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let store = try await self.store.open()
        let list = try await exitingOnError { try await store.credentials() }
        if json {
            print(try Terminal.json(list))
            return
        }
        var table = TextTable(["NAME", "USER", "KIND", "BOUND TO", "PLAIN HTTP", "CREATED"])
        for item in list {
            table.add([
                item.name, item.user ?? "-", item.kind,
                item.unbound ? Self.unbound : item.allow.joined(separator: ", "),
                item.allowPlainHTTP ? "allowed" : "refused", item.created.formatted(.iso8601),
            ])
        }
        print(table.render())
        let unbound = list.filter(\.unbound).count
        if unbound > 0 {
            Terminal.printError(
                "note: \(unbound) credential(s) \(Self.unbound); bind them with `hwautomation credentials bind NAME "
                    + "--allow ADDRESS`")
        }
    }

    /// How an unbound credential is shown.
    static let unbound = "unbound: usable against any address"

    /// A scope in words (`bound to 10.1.0.0/16, bmc-*.rack1.example; plain http allowed`).
    static func describe(_ scope: CredentialScope) -> String {
        (scope.isUnbound ? unbound : "bound to \(scope.patterns.joined(separator: ", "))")
            + (scope.allowPlainHTTP ? "; plain http allowed" : "")
    }
}

struct CredentialsRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a credential.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Credential name.") var name: String

    func run() async throws {
        let store = try await self.store.open()
        let removed = try await exitingOnError { try await store.deleteCredential(name: name) }
        guard removed else {
            throw CommandFailure("no credential \(name)")
        }
        print("removed credential \(name)")
    }
}

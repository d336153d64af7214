import ArgumentParser
import Foundation
import Store

/// `hwautomation tokens`: API tokens for `serve`.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "API tokens for `hwautomation serve`: create (the secret is shown once), list, revoke.",
        discussion: """
            Only a SHA-256 digest of each token is stored. A read token may GET every API route; an admin token \
            may also start, cancel and resume workflows and change servers, pools and MAAS.
            """,
        subcommands: [TokensCreateCommand.self, TokensListCommand.self, TokensRevokeCommand.self])
}

struct TokensCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Make a token and print its secret (once: it is not stored).")
    @Argument(help: "A name for the token (`ci`, `dashboard-alice`).") var name: String
    @Option(help: "read or admin.") var scope: String = "read"
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard APIToken.Scope(rawValue: scope) != nil else { throw ValidationError("--scope must be read or admin") }
        guard !name.isEmpty, name.count <= 64, !name.contains(where: \.isWhitespace) else {
            throw ValidationError("the name must be 1 to 64 characters without spaces")
        }
    }

    func run() async throws {
        let store = try await self.store.open()
        let (token, secret) = APIToken.make(name: name, scope: APIToken.Scope(rawValue: scope) ?? .read)
        try await storeCall { () throws(StoreError) in
            try await store.createToken(token)
            try await store.audit(AuditEntry(actor: "cli", action: "token.create", target: name, detail: scope))
        }
        print(secret)
        Terminal.printError("token \(name) (\(scope)) created; the secret above is shown once and not stored")
    }
}

struct TokensListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every token (never a secret).")
    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let store = try await self.store.open()
        let tokens = try await storeCall { () throws(StoreError) in try await store.tokens() }
        if json {
            struct View: Encodable {
                var name: String
                var scope: String
                var created: Date
                var revoked: Date?
            }
            print(
                try Terminal.json(
                    tokens.map {
                        View(name: $0.name, scope: $0.scope.rawValue, created: $0.created, revoked: $0.revoked)
                    }))
            return
        }
        let formatter = ISO8601DateFormatter()
        var table = TextTable(["NAME", "SCOPE", "CREATED", "REVOKED"])
        for token in tokens {
            table.add([
                token.name, token.scope.rawValue, formatter.string(from: token.created),
                token.revoked.map(formatter.string(from:)) ?? "-",
            ])
        }
        print(tokens.isEmpty ? "no tokens (make one with `hwautomation tokens create NAME`)" : table.render())
    }
}

struct TokensRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by name.")
    @Argument(help: "The token's name.") var name: String
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let store = try await self.store.open()
        let revoked = try await storeCall { () throws(StoreError) in try await store.revokeToken(name: name, at: Date())
        }
        guard revoked else {
            Terminal.printError("error: no working token \(name) (`hwautomation tokens list`)")
            throw ExitCode(1)
        }
        try await storeCall { () throws(StoreError) in
            try await store.audit(AuditEntry(actor: "cli", action: "token.revoke", target: name))
        }
        print("token \(name) revoked")
    }
}

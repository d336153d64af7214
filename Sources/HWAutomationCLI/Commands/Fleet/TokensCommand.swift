import ArgumentParser
import Foundation
import Store

/// `hwautomation tokens`: API tokens for `serve`.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "API tokens for `hwautomation serve`: create (the secret is shown once), list, revoke.",
        discussion: """
            Only a SHA-256 digest of each token is stored. Scopes: `read` may GET every API route; `operator` may \
            also start, cancel and resume workflows on servers already recorded and run discovery; `admin` may \
            also change servers, credentials, pools, tokens and MAAS. A token may expire (`--expires 30d`); an \
            expired or revoked token is refused at once, and a live event stream using it ends within 5 seconds.
            """,
        subcommands: [TokensCreateCommand.self, TokensListCommand.self, TokensRevokeCommand.self])
}

struct TokensCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Make a token and print its secret (once: it is not stored).")
    @Argument(help: "A name for the token (`ci`, `dashboard-alice`).") var name: String
    @Option(help: "read, operator or admin.") var scope: String = "read"
    @Option(help: ArgumentHelp("Expire after this long: 90m, 12h, 30d, 8w.", valueName: "duration"))
    var expires: String?
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard APIToken.Scope(rawValue: scope) != nil else {
            throw ValidationError("--scope must be read, operator or admin")
        }
        if let expires, Self.seconds(expires) == nil {
            throw ValidationError("--expires must be a positive number with a unit: 90m, 12h, 30d or 8w")
        }
        guard !name.isEmpty, name.count <= 64, !name.contains(where: \.isWhitespace) else {
            throw ValidationError("the name must be 1 to 64 characters without spaces")
        }
    }

    func run() async throws {
        let store = try await self.store.open()
        let expiry = expires.flatMap(Self.seconds).map { Date().addingTimeInterval($0) }
        let (token, secret) = APIToken.make(
            name: name, scope: APIToken.Scope(rawValue: scope) ?? .read, expires: expiry)
        let detail = scope + (expiry.map { " expires \($0.formatted(.iso8601))" } ?? "")
        try await exitingOnError {
            try await store.createToken(token)
            try await store.audit(AuditEntry(actor: "cli", action: "token.create", target: name, detail: detail))
        }
        print(secret)
        Terminal.printError("token \(name) (\(detail)) created; the secret above is shown once and not stored")
    }

    /// `90m`, `12h`, `30d`, `8w` in seconds; nil when it is not one of those (or not positive, or absurdly long).
    static func seconds(_ text: String) -> TimeInterval? {
        let units: [Character: Double] = ["m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard let unit = text.last.flatMap({ units[$0] }), let count = Int(text.dropLast()), count > 0,
            count <= 100_000
        else { return nil }
        return Double(count) * unit
    }
}

struct TokensListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every token (never a secret).")
    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let store = try await self.store.open()
        let tokens = try await exitingOnError { try await store.tokens() }
        if json {
            struct View: Encodable {
                var name: String
                var scope: String
                var created: String
                var revoked: String?
                var expires: String?
                var lastUsed: String?
                var state: String

                enum CodingKeys: String, CodingKey {
                    case name, scope, created, revoked, expires, state
                    case lastUsed = "last_used"
                }
            }
            let now = Date()
            let iso = Date.ISO8601FormatStyle()
            print(
                try Terminal.json(
                    tokens.map {
                        View(
                            name: $0.name, scope: $0.scope.rawValue, created: iso.format($0.created),
                            revoked: $0.revoked.map(iso.format), expires: $0.expires.map(iso.format),
                            lastUsed: $0.lastUsed.map(iso.format), state: Self.state($0, at: now))
                    }))
            return
        }
        let formatter = Date.ISO8601FormatStyle()
        let now = Date()
        var table = TextTable(["NAME", "SCOPE", "STATE", "CREATED", "EXPIRES", "LAST USED"])
        for token in tokens {
            table.add([
                token.name, token.scope.rawValue, Self.state(token, at: now), formatter.format(token.created),
                token.expires.map(formatter.format) ?? "never",
                token.lastUsed.map(formatter.format) ?? "never",
            ])
        }
        print(tokens.isEmpty ? "no tokens (make one with `hwautomation tokens create NAME`)" : table.render())
    }

    /// `working`, `revoked` or `expired`.
    static func state(_ token: APIToken, at now: Date) -> String {
        if token.revoked != nil { return "revoked" }
        if let expires = token.expires, expires <= now { return "expired" }
        return "working"
    }
}

struct TokensRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by name.")
    @Argument(help: "The token's name.") var name: String
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let store = try await self.store.open()
        let revoked = try await exitingOnError {
            try await store.revokeToken(name: name, at: Date())
        }
        guard revoked else {
            throw CommandFailure("no working token \(name) (`hwautomation tokens list`)")
        }
        try await exitingOnError {
            try await store.audit(AuditEntry(actor: "cli", action: "token.revoke", target: name))
        }
        print("token \(name) revoked")
    }
}

import Foundation

/// Where a PostgreSQL store is: parsed from `postgres://user[:password]@host[:port]/database[?sslmode=...]`.
///
/// The password may come from the URL (for `HWA_DATABASE_URL` in a service's environment) or, better, from
/// `PGPASSWORD` or a 0600 file named by `HWA_DATABASE_PASSWORD_FILE`; it never appears in `description`.
public struct PostgresConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// TLS to the server.
    public enum TLSMode: String, Sendable, Hashable {
        /// Plain TCP (loopback, or a trusted network).
        case disable
        /// TLS when the server offers it (libpq's default).
        case prefer
        /// TLS required, the server's certificate verified.
        case require
    }

    /// Host.
    public var host: String
    /// Port.
    public var port: Int
    /// User.
    public var user: String
    /// Password, when there is one.
    public var password: String?
    /// Database.
    public var database: String
    /// TLS.
    public var tls: TLSMode

    /// Whether `text` names a PostgreSQL store (as opposed to a SQLite file).
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses `url`; the password from the URL, else `PGPASSWORD`, else the file `HWA_DATABASE_PASSWORD_FILE`.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(StoreError)
    {
        guard Self.isURL(url), let components = URLComponents(string: url), let host = components.host,
            !host.isEmpty
        else {
            throw StoreError("`\(Self.redacted(url))` is not a PostgreSQL URL (postgres://user@host:5432/database)")
        }
        self.host = host
        port = components.port ?? 5432
        user = components.user ?? environment["PGUSER"] ?? "postgres"
        database = String(components.path.drop { $0 == "/" })
        if database.isEmpty { database = user }
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        switch mode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer
        case "require", "verify-ca", "verify-full": tls = .require
        default: throw StoreError("sslmode `\(mode)` is not one of disable, prefer, require")
        }
        if let password = components.password {
            self.password = password.removingPercentEncoding ?? password
        } else if let password = environment["PGPASSWORD"] {
            self.password = password
        } else if let file = environment["HWA_DATABASE_PASSWORD_FILE"] {
            let attributes = try? FileManager.default.attributesOfItem(atPath: file)
            let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue ?? 0
            guard mode & 0o077 == 0 else {
                throw StoreError("\(file): the database password file must be readable by its owner only (chmod 600)")
            }
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw StoreError("\(file): cannot read the database password file")
            }
            password = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// `postgres://user@host:port/database` (never the password).
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// `url` with any password replaced by `***`.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "postgres://***"
    }
}

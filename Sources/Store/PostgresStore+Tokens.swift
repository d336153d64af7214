import Foundation
import PostgresNIO

extension PostgresStore {
    static let tokenColumns = "id, name, scope, digest, created, revoked, expires, last_used"

    static func token(_ row: PostgresRow) throws -> APIToken {
        let (id, name, scope, digest, created, revoked, expires, lastUsed) = try row.decode(
            (String, String, String, String, Date, Date?, Date?, Date?).self)
        return APIToken(
            id: id, name: name, scope: APIToken.Scope(rawValue: scope) ?? .read, digest: digest, created: created,
            revoked: revoked, expires: expires, lastUsed: lastUsed)
    }

    /// The `Store` requirement of the same name.
    public func createToken(_ token: APIToken) async throws(StoreError) {
        try await transaction { connection in
            // One token name at a time across every process: the check and the insert under the table's lock.
            try await self.execute("LOCK TABLE api_token IN SHARE ROW EXCLUSIVE MODE", on: connection)
            for try await _ in try await connection.query(
                "SELECT 1 FROM api_token WHERE name = \(token.name) AND revoked IS NULL", logger: self.logger)
            {
                throw StoreError("a working token named \(token.name) exists; revoke it first or pick another name")
            }
            try await self.execute(
                """
                INSERT INTO api_token (id, name, scope, digest, created, revoked, expires, last_used)
                VALUES (\(token.id), \(token.name), \(token.scope.rawValue), \(token.digest), \(token.created),
                  \(token.revoked), \(token.expires), \(token.lastUsed))
                """, on: connection)
        }
    }

    /// The `Store` requirement of the same name.
    public func token(digest: String) async throws(StoreError) -> APIToken? {
        try await rows(
            "SELECT \(unescaped: Self.tokenColumns) FROM api_token WHERE digest = \(digest)", Self.token
        ).first
    }

    /// The `Store` requirement of the same name.
    public func tokens() async throws(StoreError) -> [APIToken] {
        try await rows(
            "SELECT \(unescaped: Self.tokenColumns) FROM api_token ORDER BY created, name", Self.token)
    }

    /// The `Store` requirement of the same name.
    public func revokeToken(name: String, at: Date) async throws(StoreError) -> Bool {
        try await connection { connection in
            try await self.execute(
                "UPDATE api_token SET revoked = \(at) WHERE name = \(name) AND revoked IS NULL RETURNING id",
                on: connection) > 0
        }
    }

    /// The `Store` requirement of the same name.
    public func touchToken(id: String, at: Date) async throws(StoreError) {
        try await connection { connection in
            _ = try await self.execute("UPDATE api_token SET last_used = \(at) WHERE id = \(id)", on: connection)
        }
    }
}

import Foundation
import GRDB

extension SQLiteStore {
    /// The `Store` requirement of the same name.
    public func createToken(_ token: APIToken) async throws(StoreError) {
        try write { db in
            guard
                try Int.fetchOne(
                    db, sql: "SELECT 1 FROM apiToken WHERE name = ? AND revoked IS NULL", arguments: [token.name])
                    == nil
            else {
                throw StoreError("a working token named \(token.name) exists; revoke it first or pick another name")
            }
            try db.execute(
                sql: """
                    INSERT INTO apiToken (id, name, scope, digest, created, revoked, expires, lastUsed)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    token.id, token.name, token.scope.rawValue, token.digest, token.created, token.revoked,
                    token.expires, token.lastUsed,
                ])
        }
    }

    /// The `Store` requirement of the same name.
    public func token(digest: String) async throws(StoreError) -> APIToken? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM apiToken WHERE digest = ?", arguments: [digest]).map(Self.token)
        }
    }

    /// The `Store` requirement of the same name.
    public func tokens() async throws(StoreError) -> [APIToken] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM apiToken ORDER BY created, name").map(Self.token) }
    }

    /// The `Store` requirement of the same name.
    public func revokeToken(name: String, at: Date) async throws(StoreError) -> Bool {
        try write { db in
            try db.execute(
                sql: "UPDATE apiToken SET revoked = ? WHERE name = ? AND revoked IS NULL", arguments: [at, name])
            return db.changesCount > 0
        }
    }

    /// The `Store` requirement of the same name.
    public func touchToken(id: String, at: Date) async throws(StoreError) {
        try write { db in try db.execute(sql: "UPDATE apiToken SET lastUsed = ? WHERE id = ?", arguments: [at, id]) }
    }

    private static func token(_ row: Row) -> APIToken {
        APIToken(
            id: row["id"], name: row["name"], scope: APIToken.Scope(rawValue: row["scope"]) ?? .read,
            digest: row["digest"], created: row["created"], revoked: row["revoked"], expires: row["expires"],
            lastUsed: row["lastUsed"])
    }
}

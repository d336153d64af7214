import Foundation
import GRDB
import WorkflowEngine

extension SQLiteStore {
    /// The `BMCLockRepository` requirement of the same name: one upsert whose update applies only when the lock is
    /// free, in one write transaction (SQLite serialises writers, across processes too).
    public func acquireBMCLock(
        key: String, holder: String, workflowID: String, step: String, gone: [String], at now: Date, expiresAt: Date
    ) async throws(StoreError) -> BMCLockGrant? {
        try StoreError.checkBMCLease("BMC lock \(key)", at: now, expiresAt: expiresAt)
        let goneList = gone.indices.map { "?\($0 + 7)" }.joined(separator: ", ")
        let goneClause = gone.isEmpty ? "" : " OR bmcLock.holder IN (\(goneList))"
        let values: [(any DatabaseValueConvertible)?] = [key, holder, workflowID, step, now, expiresAt] + gone
        let arguments = StatementArguments(values)
        return try write { db in
            try db.execute(
                sql: """
                    INSERT INTO bmcLock (bmcKey, holder, workflowID, step, token, acquired, expires)
                    VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6)
                    ON CONFLICT(bmcKey) DO UPDATE SET holder = excluded.holder, workflowID = excluded.workflowID,
                      step = excluded.step, token = bmcLock.token + 1, acquired = excluded.acquired,
                      expires = excluded.expires
                    WHERE bmcLock.holder IS NULL OR bmcLock.expires IS NULL OR bmcLock.expires <= ?5
                      OR (bmcLock.holder = ?2 AND bmcLock.workflowID = ?3)\(goneClause)
                    """,
                arguments: arguments)
            guard db.changesCount > 0 else { return nil }
            guard let token = try Int.fetchOne(db, sql: "SELECT token FROM bmcLock WHERE bmcKey = ?", arguments: [key])
            else { throw StoreError("\(path): BMC lock \(key) was granted but cannot be read back") }
            return BMCLockGrant(key: key, holder: holder, token: token)
        }
    }

    /// The `BMCLockRepository` requirement of the same name.
    public func renewBMCLocks(holder: String, at now: Date, expiresAt: Date) async throws(StoreError)
        -> [BMCLockGrant]
    {
        try StoreError.checkBMCLease("BMC locks of \(holder)", at: now, expiresAt: expiresAt)
        return try write { db in
            try db.execute(
                sql: "UPDATE bmcLock SET expires = MAX(COALESCE(expires, ?1), ?1) WHERE holder = ?2",
                arguments: [expiresAt, holder])
            return try Row.fetchAll(
                db, sql: "SELECT bmcKey, token FROM bmcLock WHERE holder = ? ORDER BY bmcKey", arguments: [holder]
            ).map { BMCLockGrant(key: $0["bmcKey"], holder: holder, token: $0["token"]) }
        }
    }

    /// The `BMCLockRepository` requirement of the same name.
    public func releaseBMCLock(_ grant: BMCLockGrant) async throws(StoreError) -> Bool {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE bmcLock SET holder = NULL, workflowID = NULL, step = NULL, acquired = NULL, expires = NULL
                    WHERE bmcKey = ? AND holder = ? AND token = ?
                    """,
                arguments: [grant.key, grant.holder, grant.token])
            return db.changesCount > 0
        }
    }

    /// The `BMCLockRepository` requirement of the same name.
    public func bmcLocks() async throws(StoreError) -> [BMCLock] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM bmcLock WHERE holder IS NOT NULL ORDER BY bmcKey").map {
                BMCLock(
                    key: $0["bmcKey"], holder: $0["holder"], workflowID: $0["workflowID"], step: $0["step"],
                    token: $0["token"], acquired: $0["acquired"], expires: $0["expires"])
            }
        }
    }
}

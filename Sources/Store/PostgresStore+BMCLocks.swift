import Foundation
import PostgresNIO
import WorkflowEngine

extension PostgresStore {
    static let bmcLockColumns = "bmc_key, holder, workflow_id, step, token, acquired, expires"

    /// The `BMCLockRepository` requirement of the same name: one `INSERT … ON CONFLICT DO UPDATE … WHERE free
    /// RETURNING`, which PostgreSQL makes atomic — concurrent acquirers of one key wait on its row and see the
    /// winner's grant, so exactly one is granted.
    public func acquireBMCLock(
        key: String, holder: String, workflowID: String, step: String, gone: [String], at now: Date, expiresAt: Date
    ) async throws(StoreError) -> BMCLockGrant? {
        try StoreError.checkBMCLease("BMC lock \(key)", at: now, expiresAt: expiresAt)
        return try await rows(
            """
            INSERT INTO bmc_lock (bmc_key, holder, workflow_id, step, token, acquired, expires)
            VALUES (\(key), \(holder), \(workflowID), \(step), 1, \(now), \(expiresAt))
            ON CONFLICT (bmc_key) DO UPDATE SET holder = excluded.holder, workflow_id = excluded.workflow_id,
              step = excluded.step, token = bmc_lock.token + 1, acquired = excluded.acquired,
              expires = excluded.expires
            WHERE bmc_lock.holder IS NULL OR bmc_lock.expires IS NULL OR bmc_lock.expires <= \(now)
              OR bmc_lock.holder = ANY(\(gone))
              OR (bmc_lock.holder = \(holder) AND bmc_lock.workflow_id = \(workflowID))
            RETURNING token
            """
        ) { row in BMCLockGrant(key: key, holder: holder, token: try row.decode(Int.self)) }.first
    }

    /// The `BMCLockRepository` requirement of the same name.
    public func renewBMCLocks(holder: String, at now: Date, expiresAt: Date) async throws(StoreError)
        -> [BMCLockGrant]
    {
        try StoreError.checkBMCLease("BMC locks of \(holder)", at: now, expiresAt: expiresAt)
        return try await rows(
            """
            UPDATE bmc_lock SET expires = GREATEST(expires, \(expiresAt)) WHERE holder = \(holder)
            RETURNING bmc_key, token
            """
        ) { row in
            let (key, token) = try row.decode((String, Int).self)
            return BMCLockGrant(key: key, holder: holder, token: token)
        }.sorted { $0.key < $1.key }
    }

    /// The `BMCLockRepository` requirement of the same name.
    public func releaseBMCLock(_ grant: BMCLockGrant) async throws(StoreError) -> Bool {
        try await connection { connection in
            try await self.execute(
                """
                UPDATE bmc_lock SET holder = NULL, workflow_id = NULL, step = NULL, acquired = NULL, expires = NULL
                WHERE bmc_key = \(grant.key) AND holder = \(grant.holder) AND token = \(grant.token)
                RETURNING bmc_key
                """, on: connection) > 0
        }
    }

    /// The `BMCLockRepository` requirement of the same name.
    public func bmcLocks() async throws(StoreError) -> [BMCLock] {
        try await rows(
            """
            SELECT \(unescaped: Self.bmcLockColumns) FROM bmc_lock WHERE holder IS NOT NULL ORDER BY bmc_key
            """
        ) { row in
            let (key, holder, workflow, step, token, acquired, expires) = try row.decode(
                (String, String, String, String, Int, Date, Date).self)
            return BMCLock(
                key: key, holder: holder, workflowID: workflow, step: step, token: token, acquired: acquired,
                expires: expires)
        }
    }
}

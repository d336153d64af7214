import Foundation
import WorkflowEngine

extension InMemoryStore {
    /// The `BMCLockRepository` requirement of the same name (the actor makes it atomic).
    public func acquireBMCLock(
        key: String, holder: String, workflowID: String, step: String, gone: [String], at now: Date, expiresAt: Date
    ) throws(StoreError) -> BMCLockGrant? {
        try StoreError.checkBMCLease("BMC lock \(key)", at: now, expiresAt: expiresAt)
        let row = bmcLockRows[key]
        if let held = row?.lock {
            let free =
                held.expires <= now || gone.contains(held.holder)
                || (held.holder == holder && held.workflowID == workflowID)
            guard free else { return nil }
        }
        let token = (row?.token ?? 0) + 1
        bmcLockRows[key] = (
            BMCLock(
                key: key, holder: holder, workflowID: workflowID, step: step, token: token, acquired: now,
                expires: expiresAt),
            token
        )
        return BMCLockGrant(key: key, holder: holder, token: token)
    }

    /// The `BMCLockRepository` requirement of the same name.
    public func renewBMCLocks(holder: String, at now: Date, expiresAt: Date) throws(StoreError) -> [BMCLockGrant] {
        try StoreError.checkBMCLease("BMC locks of \(holder)", at: now, expiresAt: expiresAt)
        var renewed: [BMCLockGrant] = []
        for (key, row) in bmcLockRows.sorted(by: { $0.key < $1.key }) {
            guard var lock = row.lock, lock.holder == holder else { continue }
            lock.expires = max(lock.expires, expiresAt)
            bmcLockRows[key] = (lock, row.token)
            renewed.append(lock.grant)
        }
        return renewed
    }

    /// The `BMCLockRepository` requirement of the same name.
    public func releaseBMCLock(_ grant: BMCLockGrant) throws(StoreError) -> Bool {
        guard let row = bmcLockRows[grant.key], let lock = row.lock, lock.grant == grant else { return false }
        bmcLockRows[grant.key] = (nil, row.token)
        return true
    }

    /// The `BMCLockRepository` requirement of the same name.
    public func bmcLocks() throws(StoreError) -> [BMCLock] {
        bmcLockRows.values.compactMap(\.lock).sorted { $0.key < $1.key }
    }
}

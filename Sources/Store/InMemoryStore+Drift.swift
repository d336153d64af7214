import Foundation

extension InMemoryStore {
    /// The `DriftRepository` requirement of the same name.
    @discardableResult
    public func recordDrift(_ record: DriftRecord) throws(StoreError) -> DriftRecord {
        var stored = record
        stored.id = (driftRows.last?.id ?? 0) + 1
        driftRows.append(stored)
        return stored
    }

    /// The `DriftRepository` requirement of the same name.
    public func latestDrift(deviceType: String?) throws(StoreError) -> [DriftRecord] {
        var latest: [String: DriftRecord] = [:]
        for row in driftRows where serverRows[row.serverID] != nil { latest[row.serverID] = row }
        return latest.values.filter { deviceType == nil || $0.deviceType == deviceType }.sorted {
            $0.serverID < $1.serverID
        }
    }

    /// The `DriftRepository` requirement of the same name.
    public func driftHistory(serverID: String, limit: Int) throws(StoreError) -> [DriftRecord] {
        Array(driftRows.reversed().filter { $0.serverID == serverID }.prefix(max(0, limit)))
    }
}

import Foundation
import PostgresNIO

extension PostgresStore {
    /// The `DriftRepository` requirement of the same name.
    @discardableResult
    public func recordDrift(_ record: DriftRecord) async throws(StoreError) -> DriftRecord {
        let detail = try DriftDetail.encode(record)
        let ids = try await rows(
            """
            INSERT INTO drift (server_id, checked_at, device_type, state, detail)
            VALUES (\(record.serverID), \(record.checkedAt), \(record.deviceType), \(record.state.rawValue), \(detail))
            RETURNING id
            """
        ) { try $0.decode(Int64.self) }
        var stored = record
        stored.id = ids.first
        return stored
    }

    /// The `DriftRepository` requirement of the same name.
    public func latestDrift(deviceType: String?) async throws(StoreError) -> [DriftRecord] {
        let rows = try await rows(
            """
            SELECT DISTINCT ON (drift.server_id) drift.id, drift.detail FROM drift
            JOIN server ON server.id = drift.server_id
            WHERE (\(deviceType)::text IS NULL OR drift.device_type = \(deviceType))
            ORDER BY drift.server_id, drift.id DESC
            """
        ) { try $0.decode((Int64, String).self) }
        return try rows.map { row throws(StoreError) in try DriftDetail.decode(row.1, id: row.0) }
    }

    /// The `DriftRepository` requirement of the same name.
    public func driftHistory(serverID: String, limit: Int) async throws(StoreError) -> [DriftRecord] {
        let rows = try await rows(
            "SELECT id, detail FROM drift WHERE server_id = \(serverID) ORDER BY id DESC LIMIT \(max(0, limit))"
        ) { try $0.decode((Int64, String).self) }
        return try rows.map { row throws(StoreError) in try DriftDetail.decode(row.1, id: row.0) }
    }
}

import Foundation
import GRDB

extension SQLiteStore {
    /// The `DriftRepository` requirement of the same name.
    @discardableResult
    public func recordDrift(_ record: DriftRecord) async throws(StoreError) -> DriftRecord {
        let detail = try DriftDetail.encode(record)
        var stored = record
        stored.id = try write { db in
            try db.execute(
                sql: """
                    INSERT INTO drift (serverID, checkedAt, deviceType, state, detail) VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [record.serverID, record.checkedAt, record.deviceType, record.state.rawValue, detail])
            return db.lastInsertedRowID
        }
        return stored
    }

    /// The `DriftRepository` requirement of the same name.
    public func latestDrift(deviceType: String?) async throws(StoreError) -> [DriftRecord] {
        let rows = try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT drift.id, drift.detail FROM drift JOIN server ON server.id = drift.serverID
                    WHERE drift.id IN (SELECT MAX(id) FROM drift GROUP BY serverID)
                      AND (? IS NULL OR drift.deviceType = ?)
                    ORDER BY drift.serverID
                    """, arguments: [deviceType, deviceType]
            ).map { (id: $0["id"] as Int64, detail: $0["detail"] as String) }
        }
        return try rows.map { row throws(StoreError) in try DriftDetail.decode(row.detail, id: row.id) }
    }

    /// The `DriftRepository` requirement of the same name.
    public func driftHistory(serverID: String, limit: Int) async throws(StoreError) -> [DriftRecord] {
        let rows = try read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, detail FROM drift WHERE serverID = ? ORDER BY id DESC LIMIT ?",
                arguments: [serverID, max(0, limit)]
            ).map { (id: $0["id"] as Int64, detail: $0["detail"] as String) }
        }
        return try rows.map { row throws(StoreError) in try DriftDetail.decode(row.detail, id: row.id) }
    }
}

/// A drift record as both SQL backends keep it: the columns they select by, and the whole record as JSON.
enum DriftDetail {
    static func encode(_ record: DriftRecord) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        var bare = record
        bare.id = nil
        do {
            return String(decoding: try encoder.encode(bare), as: UTF8.self)
        } catch {
            throw StoreError("drift record of \(record.serverID) could not be encoded: \(error)")
        }
    }

    static func decode(_ text: String, id: Int64) throws(StoreError) -> DriftRecord {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            var record = try decoder.decode(DriftRecord.self, from: Data(text.utf8))
            record.id = id
            return record
        } catch {
            throw StoreError("drift row \(id) cannot be read: \(error)")
        }
    }
}

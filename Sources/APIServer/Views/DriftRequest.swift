import Foundation
import Orchestration
import Store
import WorkflowEngine

/// The body of `POST /drift/sweep`, `POST /drift/remediate` and `POST /validation`: which servers (exactly one of
/// `servers`, `device_type`, `all`), the TLS choice for a sweep or a validation, and whether a remediation applies
/// (default: a dry run).
struct DriftRequest: Sendable, Hashable, Codable {
    var servers: [String]?
    var deviceType: String?
    var all: Bool?
    var tls: String?
    var apply: Bool?

    enum CodingKeys: String, CodingKey {
        case servers
        case deviceType = "device_type"
        case all, tls, apply
    }

    /// The selection, or the service's error naming the field.
    func selection() throws(ServiceError) -> ServerSelection {
        try ServerSelection(servers: servers ?? [], deviceType: deviceType, all: all == true)
    }
}

/// What a sweep, a remediation or a validation started.
struct DriftStartView: Sendable, Hashable, Codable {
    var batch: String?
    var dryRun: Bool?
    var runs: [WorkflowRecord]

    enum CodingKeys: String, CodingKey {
        case batch
        case dryRun = "dry_run"
        case runs
    }
}

/// `GET /servers/{id}/drift`: the newest check and the history.
struct ServerDriftView: Sendable, Hashable, Codable {
    var serverID: String
    var latest: DriftRecord?
    var history: [DriftRecord]

    enum CodingKeys: String, CodingKey {
        case serverID = "server_id"
        case latest, history
    }
}

import Foundation
import Orchestration

/// The body that starts runs (`POST /workflows`, and without `definition`/`servers` the per-server starts): which
/// workflow over which stored servers, and the operator's choices.
struct RunOptions: Sendable, Hashable, Codable {
    var definition: String?
    var servers: [String]?
    var deviceType: String?
    var force: Bool?
    var dryRun: Bool?
    var rack: String?
    var tls: String?
    var maasURL: String?
    var maasCredential: String?
    var firmwarePolicy: String?
    var firmwareApprove: Bool?

    enum CodingKeys: String, CodingKey {
        case definition, servers, force, rack, tls
        case firmwarePolicy = "firmware_policy"
        case firmwareApprove = "firmware_approve"
        case deviceType = "device_type"
        case dryRun = "dry_run"
        case maasURL = "maas_url"
        case maasCredential = "maas_credential"
    }

    /// The workflow input these options add to every run.
    var input: CommissioningInput {
        var input = CommissioningInput()
        input.deviceType = deviceType
        input.force = force == true
        input.dryRun = dryRun == true
        input.rack = rack
        input.tls = tls
        input.maasURL = maasURL
        input.maasCredential = maasCredential
        input.firmwarePolicy = firmwarePolicy
        input.firmwareApprove = firmwareApprove == true
        return input
    }
}

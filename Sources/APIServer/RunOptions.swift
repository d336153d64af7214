import Foundation

/// The body that starts runs (`POST /workflows`, and without `definition`/`servers` the per-server starts): which
/// workflow over which stored servers, and the operator's choices.
struct RunOptions: Codable {
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
    var input: [String: String] {
        var input: [String: String] = [:]
        if let deviceType { input["device_type"] = deviceType }
        if force == true { input["force"] = "true" }
        if dryRun == true { input["dry_run"] = "true" }
        if let rack { input["rack"] = rack }
        if let tls { input["tls"] = tls }
        if let maasURL { input["maas_url"] = maasURL }
        if let maasCredential { input["maas_credential"] = maasCredential }
        if let firmwarePolicy { input["firmware_policy"] = firmwarePolicy }
        if firmwareApprove == true { input["firmware_approve"] = "true" }
        return input
    }
}

import Foundation
import Orchestration

/// The body of `POST /servers` and `PATCH /servers/{id}`: what a person may set (type and status come from
/// workflows).
struct ServerInput: Sendable, Hashable, Codable {
    var id: String?
    var name: String?
    var bmc: String?
    var credential: String?
    var sshHost: String?
    var tags: [String]?

    enum CodingKeys: String, CodingKey {
        case id, name, bmc, credential, tags
        case sshHost = "ssh_host"
    }

    /// The change it asks for (checked by `ServerService`).
    var change: ServerChange {
        ServerChange(id: id, name: name, bmc: bmc, credential: credential, sshHost: sshHost, tags: tags)
    }
}

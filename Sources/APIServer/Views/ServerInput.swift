import Foundation
import HTTPTypes
import Redfish

/// The body of `POST /servers` and `PATCH /servers/{id}`: what a person may set (type and status come from
/// workflows).
struct ServerInput: Codable {
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

    /// A 400 problem naming the first field that is not acceptable.
    func validate() throws {
        if let id {
            guard !id.isEmpty, id.count <= 128, id.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
            else {
                throw ProblemDetails(
                    .badRequest, "`id` must be 1 to 128 letters, digits, `-`, `_` or `.`")
            }
        }
        if let name, name.isEmpty || name.count > 256 {
            throw ProblemDetails(.badRequest, "`name` must be 1 to 256 characters")
        }
        if let bmc {
            guard let url = URL(string: bmc), let scheme = url.scheme, ["http", "https"].contains(scheme),
                url.host != nil
            else {
                throw ProblemDetails(.badRequest, "`bmc` must be the BMC's Redfish URL (http:// or https://)")
            }
            do {
                try RedfishEndpoint.checkNoCredentials(url)
            } catch {
                throw ProblemDetails(.badRequest, "`bmc`: \(error.message)")
            }
        }
        if let credential, credential.isEmpty { throw ProblemDetails(.badRequest, "`credential` must not be empty") }
        if let sshHost, sshHost.isEmpty || sshHost.contains(" ") {
            throw ProblemDetails(.badRequest, "`ssh_host` must be user@host or host")
        }
        if let tags, tags.contains(where: { $0.isEmpty || $0.count > 64 }) {
            throw ProblemDetails(.badRequest, "`tags` must be 1 to 64 characters each")
        }
    }
}

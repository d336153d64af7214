import Foundation

/// The body of `POST /workflows/{id}/resume`: an operator's decision for a waiting run.
struct ResumeOptions: Sendable, Hashable, Codable {
    var deviceType: String?
    var force: Bool?

    enum CodingKeys: String, CodingKey {
        case force
        case deviceType = "device_type"
    }
}

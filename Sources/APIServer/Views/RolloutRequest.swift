import Foundation
import Orchestration

/// The body of `POST /firmware/rollouts`: which servers (exactly one of `servers`, `device_type`, `all`), the
/// waves, the halt threshold, the pause between waves, and the update policy.
struct RolloutRequest: Sendable, Hashable, Codable {
    var servers: [String]?
    var deviceType: String?
    var all: Bool?
    var policy: String?
    var waves: String?
    var haltAt: String?
    var pauseBetween: String?
    var approve: Bool?
    var dryRun: Bool?

    enum CodingKeys: String, CodingKey {
        case servers
        case deviceType = "device_type"
        case all, policy, waves
        case haltAt = "halt_at"
        case pauseBetween = "pause_between"
        case approve
        case dryRun = "dry_run"
    }

    /// `pause_between` in seconds (0 when absent), or the service's error naming the field.
    func pauseSeconds() throws(ServiceError) -> Int {
        guard let pauseBetween else { return 0 }
        do {
            return Int(try EventRetention(parsing: pauseBetween, option: "pause_between").seconds)
        } catch {
            throw ServiceError(.invalid, field: .pauseBetween, "`\(pauseBetween)` is not a duration (10m, 1h, 1d)")
        }
    }
}

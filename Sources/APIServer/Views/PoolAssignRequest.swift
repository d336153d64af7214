import Foundation

/// The body of an assignment.
struct PoolAssignRequest: Sendable, Hashable, Codable {
    var server: String
}

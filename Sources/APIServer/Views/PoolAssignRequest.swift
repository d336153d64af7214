import Foundation

/// The body of an assignment.
struct PoolAssignRequest: Codable {
    var server: String
}

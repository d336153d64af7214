import Foundation

/// A pool's definition.
struct PoolDefinition: Sendable, Hashable, Codable {
    var ranges: [String]
    var exclusions: [String]?
}

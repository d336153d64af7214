import Foundation

/// A pool's definition.
struct PoolDefinition: Codable {
    var ranges: [String]
    var exclusions: [String]?
}

import Foundation

/// A workflow definition.
struct DefinitionView: Sendable, Hashable, Codable {
    var name: String
    var version: Int
    var summary: String
    var steps: [String]
}

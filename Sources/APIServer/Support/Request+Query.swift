import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store
import WorkflowEngine

extension Request {
    /// Query parameter `name`, nil when absent or empty.
    func query(_ name: String) -> String? {
        guard let value = uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    /// Integer query parameter `name` within `range` (`fallback` when absent), or a 400 problem naming it.
    func query(_ name: String, fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = query(name) else { return fallback }
        guard let value = Int(text) else { throw APIServer.outOfRange(name, range) }
        return try APIServer.integer(value, name, fallback: fallback, in: range)
    }
}

extension APIServer {
    /// An integer query parameter as the generated code read it, within `range` (`fallback` when absent), or a 400
    /// problem naming it.
    static func integer(_ value: Int?, _ name: String, fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let value else { return fallback }
        guard range.contains(value) else { throw outOfRange(name, range) }
        return value
    }

    static func outOfRange(_ name: String, _ range: ClosedRange<Int>) -> ProblemDetails {
        ProblemDetails(
            .badRequest, "query parameter `\(name)` must be an integer from \(range.lowerBound) to \(range.upperBound)")
    }
}

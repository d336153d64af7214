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
        guard let value = Int(text), range.contains(value) else {
            throw ProblemDetails(
                .badRequest,
                "query parameter `\(name)` must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}

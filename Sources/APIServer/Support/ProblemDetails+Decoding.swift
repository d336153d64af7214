import Foundation
import HTTPTypes

extension ProblemDetails {
    /// A 400 naming the field of a request body that could not be read (`the body has no `name``), or saying the
    /// body is not of the route's shape when `error` names no field (or there is none).
    init(decoding error: DecodingError?) {
        guard let error, !Self.codingPath(of: error).isEmpty else {
            self.init(.badRequest, "the body is not a JSON object of the shape this route takes")
            return
        }
        func path(_ codingPath: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            (codingPath + (key.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(.badRequest, "the body has no `\(path(context.codingPath, key))`")
        case .typeMismatch(_, let context):
            self.init(.badRequest, "`\(path(context.codingPath))` has the wrong type")
        case .valueNotFound(_, let context):
            self.init(.badRequest, "`\(path(context.codingPath))` must not be null")
        case .dataCorrupted(let context):
            self.init(.badRequest, "`\(path(context.codingPath))`: \(context.debugDescription)")
        @unknown default:
            self.init(.badRequest, "the body is not a JSON object of the shape this route takes")
        }
    }

    /// Where in the decoded value `error` happened (the missing key included); empty at the top level.
    static func codingPath(of error: DecodingError) -> [any CodingKey] {
        switch error {
        case .keyNotFound(let key, let context): context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            context.codingPath
        @unknown default: []
        }
    }
}

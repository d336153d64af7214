import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// Where the handlers generated from the OpenAPI document are registered: each operation in the router group of the
/// access the document declares for it (`security: []` open, else `x-required-scope`), and in the route table. An
/// operation that declares neither is refused at registration, so the server does not start: deny by default.
struct SpecRouteTransport: ServerTransport {
    let groups: RouteGroups
    let routes: RouteTable

    func register(
        _ handler:
            @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
                HTTPResponse, HTTPBody?
            ),
        method: HTTPRequest.Method, path: String
    ) throws {
        guard let access = OpenAPIDocument.access["\(method.rawValue) \(path)"] else {
            throw SpecRouteError(method: method.rawValue, path: path)
        }
        routes.add(method: method.rawValue, path: path, access: access)
        groups.group(access).register(
            { request, body, metadata in try await handler(request, try await Self.read(body), metadata) },
            method: method, path: path)
    }
}

extension SpecRouteTransport {
    /// The largest request body read.
    static let bodyLimit = 4 * 1024 * 1024

    /// `body` read whole (at most `bodyLimit` bytes, else a 413 problem); nil when there is none or it is empty,
    /// so an operation whose body is optional takes its defaults when a client sends nothing, as it means.
    static func read(_ body: HTTPBody?) async throws -> HTTPBody? {
        guard let body else { return nil }
        let bytes: [UInt8]
        do {
            bytes = try await [UInt8](collecting: body, upTo: bodyLimit)
        } catch {
            throw ProblemDetails(.contentTooLarge, "the body is larger than 4 MiB")
        }
        return bytes.isEmpty ? nil : HTTPBody(bytes)
    }
}

/// An operation of the OpenAPI document that says nothing of who may call it.
struct SpecRouteError: Error, CustomStringConvertible {
    var method: String
    var path: String

    var description: String {
        if let problem = OpenAPIDocument.problem { return "\(method) \(path): \(problem)" }
        return "\(method) \(path) in openapi.yaml declares neither `security: []` (open) nor `x-required-scope` "
            + "(read, operator, admin): every operation says who may call it"
    }
}

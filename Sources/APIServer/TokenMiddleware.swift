import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store
import WorkflowEngine

/// Requires a token (`Authorization: Bearer hwa_…`; on `/api/v1/events` alone also `?access_token=`, for
/// EventSource) on every route but the open ones (health, the OpenAPI document, the dashboard's static files); a
/// read token may only read (GET, HEAD). A refusal is a 401 (no, unknown or revoked token) or 403 (read-only token)
/// problem and never echoes the secret.
struct TokenMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let store: any Store
    /// Paths answered without a token.
    let open: @Sendable (String) -> Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if open(request.uri.path) { return try await next(request, context) }
        let secret: String
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            secret = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        } else if request.uri.path == APIServer.prefix + "/events", let query = request.query("access_token") {
            // EventSource (the dashboard's live view) cannot set headers: the events route alone takes the token
            // as `?access_token=`.
            secret = query
        } else {
            throw ProblemDetails(
                .unauthorized,
                "this route needs an API token: `Authorization: Bearer hwa_…` "
                    + "(make one with `hwautomation tokens create NAME`)")
        }
        let token: APIToken?
        do {
            token = try await store.token(digest: APIToken.digest(of: secret))
        } catch {
            throw ProblemDetails(.serviceUnavailable, "the token store cannot be read: \(error.message)")
        }
        guard let token else { throw ProblemDetails(.unauthorized, "the API token is not known") }
        guard token.revoked == nil else {
            throw ProblemDetails(.unauthorized, "the API token \(token.name) was revoked")
        }
        if token.scope == .read, request.method != .get, request.method != .head {
            throw ProblemDetails(
                .forbidden, "the token \(token.name) is read-only; \(request.method.rawValue) needs an admin token")
        }
        var context = context
        context.token = token
        return try await next(request, context)
    }
}

import HTTPTypes
import Hummingbird
import Store

/// Requires a token (`Authorization: Bearer hwa_…`) on every route but the open ones (health, the OpenAPI
/// document, the dashboard's static files); a read token may only read (GET, HEAD).
struct TokenMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let store: any Store
    /// Paths answered without a token.
    let open: @Sendable (String) -> Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if open(request.uri.path) { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw ProblemDetails(
                .unauthorized, "this route needs an API token: `Authorization: Bearer hwa_…` "
                    + "(make one with `hwautomation tokens create NAME`)")
        }
        let secret = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
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

import Foundation
import HTTPTypes
import Hummingbird
import Store

/// Authenticates a request by its bearer token (`Authorization: Bearer hwa_…`) and refuses it unless the token
/// works (known, not revoked, not expired) and its scope is at least what the route's group requires. Attached to
/// the router's protected groups only (`RouteGroups`), never to the open one. A refusal is a 401 (no, unknown,
/// revoked or expired token) or 403 (scope too small) problem and never echoes the secret; a token over its request
/// rate gets a 429 with `Retry-After`.
struct TokenAuthenticator: Sendable {
    let store: any TokenRepository
    let limiter: RequestRateLimiter
    /// How often a token's last use is written (at most once per token per interval).
    var touchInterval: TimeInterval = 60

    /// The middleware for a group whose routes need `scope`; `queryToken` also takes `?access_token=`.
    func requiring(_ scope: APIToken.Scope, queryToken: Bool = false) -> Middleware {
        Middleware(authenticator: self, scope: scope, queryToken: queryToken)
    }

    /// The working token a request presents, or the problem refusing it.
    func authenticate(_ request: Request, scope: APIToken.Scope, queryToken: Bool) async throws -> APIToken {
        let secret: String
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            secret = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        } else if queryToken, let query = request.query("access_token") {
            secret = query
        } else {
            throw ProblemDetails(
                .unauthorized,
                "this route needs an API token: `Authorization: Bearer hwa_…` "
                    + "(make one with `hwautomation tokens create NAME`)")
        }
        let token = try await lookUp(secret: secret)
        let now = Date()
        if let refusal = token.refusal(at: now) { throw ProblemDetails(.unauthorized, refusal) }
        guard token.scope >= scope else {
            throw ProblemDetails(
                .forbidden,
                "the token \(token.name) has scope \(token.scope.rawValue); \(request.method.rawValue) on this route "
                    + "needs \(scope.rawValue)")
        }
        if let wait = limiter.admit(token.id) {
            throw ProblemDetails(
                .tooManyRequests, "the token \(token.name) is over its request rate; retry in \(wait) s",
                retryAfter: wait)
        }
        if token.lastUsed.map({ now.timeIntervalSince($0) >= touchInterval }) ?? true {
            do {
                try await store.touchToken(id: token.id, at: now)
            } catch {
                throw ProblemDetails(.serviceUnavailable, "the token store cannot be written: \(error.message)")
            }
        }
        return token
    }

    /// The stored token whose digest the secret has, or a 401 problem.
    func lookUp(secret: String) async throws -> APIToken {
        let token: APIToken?
        do {
            token = try await store.token(digest: APIToken.digest(of: secret))
        } catch {
            throw ProblemDetails(.serviceUnavailable, "the token store cannot be read: \(error.message)")
        }
        guard let token else { throw ProblemDetails(.unauthorized, "the API token is not known") }
        return token
    }

    /// The group middleware: authenticates, then passes the token on in the context (and, for the handlers the
    /// OpenAPI document generates, which do not see the context, as `APIRequestContext.caller`).
    struct Middleware: RouterMiddleware {
        typealias Context = APIRequestContext
        let authenticator: TokenAuthenticator
        let scope: APIToken.Scope
        let queryToken: Bool

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
            async throws -> Response
        {
            var context = context
            let token = try await authenticator.authenticate(request, scope: scope, queryToken: queryToken)
            context.token = token
            return try await APIRequestContext.$caller.withValue(token) { try await next(request, context) }
        }
    }
}

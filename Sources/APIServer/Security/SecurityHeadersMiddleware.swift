import HTTPTypes
import Hummingbird

/// Headers every answer carries, errors and 404s included: `X-Content-Type-Options: nosniff`, a
/// `Content-Security-Policy` with `frame-ancestors 'none'` (added to a route's own policy), `X-Frame-Options`,
/// `Referrer-Policy`, and under TLS `Strict-Transport-Security`.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    /// Whether the server answers over TLS (HSTS only then: over plain HTTP it would be ignored, and misleading).
    let tls: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.xFrameOptions] = "DENY"
        response.headers[Self.referrerPolicy] = "no-referrer"
        if let policy = response.headers[.contentSecurityPolicy] {
            if !policy.contains("frame-ancestors") {
                response.headers[.contentSecurityPolicy] = policy + "; frame-ancestors 'none'"
            }
        } else {
            response.headers[.contentSecurityPolicy] = "frame-ancestors 'none'"
        }
        if tls { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }

    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}

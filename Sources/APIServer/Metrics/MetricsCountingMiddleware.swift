import HTTPTypes
import Hummingbird

/// Counts responses by method and status class (errors included: they are answered by the problem middleware).
struct MetricsCountingMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let metrics: APIMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let response = try await next(request, context)
        metrics.countRequest(method: request.method.rawValue, status: response.status.code)
        return response
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Turns every error a route throws (and unknown routes) into problem+json; unexpected errors are logged and
/// answered 500 without their text.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch var problem as ProblemDetails {
            problem.instance = problem.instance ?? request.uri.path
            return problem.response()
        } catch let error as any HTTPResponseError {
            let status = error.status
            let detail =
                status == .notFound
                ? "no route \(request.method.rawValue) \(request.uri.path)"
                : status == .badRequest ? "the request body or a parameter could not be read" : status.reasonPhrase
            return ProblemDetails(status, detail, instance: request.uri.path).response()
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return ProblemDetails(.internalServerError, "the server failed; see its log", instance: request.uri.path)
                .response()
        }
    }
}

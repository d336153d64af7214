import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OpenAPIRuntime

/// Turns every error a route throws (and unknown routes) into problem+json; unexpected errors are logged and
/// answered 500 without their text.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as ServerError {
            // From a handler generated from the OpenAPI document: what the handler threw, or, when there is no
            // operation input, why the request could not be read as the document describes it.
            guard error.operationInput == nil else { return response(to: error.underlyingError, request, context) }
            return response(to: Self.unreadInput(error, request), request, context)
        } catch {
            return response(to: error, request, context)
        }
    }

    /// Why the generated code could not read a request as the document describes it, as a 400: the body's field
    /// by name; a query value (which the generated decoder reports without its name) with the query it came in.
    static func unreadInput(_ error: ServerError, _ request: Request) -> ProblemDetails {
        guard let decoding = error.underlyingError as? DecodingError else {
            return ProblemDetails(
                .badRequest, "the request does not match the API's document: \(error.causeDescription)")
        }
        // The query as sent, but never a token in it (`access_token`, which the event stream takes).
        let query = (request.uri.query ?? "").split(separator: "&").filter { !$0.hasPrefix("access_token=") }
            .joined(separator: "&")
        if ProblemDetails.codingPath(of: decoding).isEmpty, !query.isEmpty,
            request.method == .get || request.method == .delete
        {
            var expected = ""
            if case .typeMismatch(let type, _) = decoding {
                expected = ": a value is not \(type == Int.self ? "an integer" : "\(type)")"
            }
            return ProblemDetails(.badRequest, "the query `\(query)` does not match the API's document\(expected)")
        }
        return ProblemDetails(decoding: decoding)
    }

    private func response(to error: any Error, _ request: Request, _ context: Context) -> Response {
        switch error {
        case var problem as ProblemDetails:
            problem.instance = problem.instance ?? request.uri.path
            return problem.response()
        case let error as any HTTPResponseError:
            let status = error.status
            let detail =
                status == .notFound
                ? "no route \(request.method.rawValue) \(request.uri.path)"
                : status == .badRequest ? "the request body or a parameter could not be read" : status.reasonPhrase
            return ProblemDetails(status, detail, instance: request.uri.path).response()
        default:
            context.logger.error("unhandled error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return ProblemDetails(.internalServerError, "the server failed; see its log", instance: request.uri.path)
                .response()
        }
    }
}

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
            return response(to: Self.unreadInput(error, request, endpoint: context.endpointPath), request, context)
        } catch {
            return response(to: error, request, context)
        }
    }

    /// Why the generated code could not read a request as the document describes it, as a 400: the body's field
    /// by name; a query parameter (which the generated decoder reports without its name) by the document's rule for
    /// it, else with the query it came in (never its `access_token`).
    static func unreadInput(_ error: ServerError, _ request: Request, endpoint: String?) -> ProblemDetails {
        let queryItems = request.uri.queryParameters
        if let endpoint, let rules = OpenAPIDocument.queryRules["\(request.method.rawValue) \(endpoint)"] {
            for rule in rules {
                if let value = queryItems[rule.name[...]], let problem = rule.problem(with: String(value)) {
                    return ProblemDetails(.badRequest, problem)
                }
            }
        }
        guard let decoding = error.underlyingError as? DecodingError else {
            return ProblemDetails(
                .badRequest, "the request does not match the API's document: \(error.causeDescription)")
        }
        let query = (request.uri.query ?? "").split(separator: "&").filter { !$0.hasPrefix("access_token=") }
            .joined(separator: "&")
        if ProblemDetails.codingPath(of: decoding).isEmpty, !query.isEmpty,
            request.method == .get || request.method == .delete
        {
            return ProblemDetails(.badRequest, "the query `\(query)` does not match the API's document")
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

import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store
import WorkflowEngine

/// HWAutomation's HTTP server: the REST API under `/api/v1` (JSON, errors as RFC 9457 problem+json, bearer tokens,
/// an OpenAPI 3.1 document), live events as Server-Sent Events, Prometheus metrics, and the dashboard.
public struct APIServer: Sendable {
    /// The store (servers, workflows, events, tokens, audit).
    public let store: any Store
    /// The engine that runs what the API starts (its definitions are the workflows offered).
    public let engine: Engine
    /// Runs started workflows in this process.
    public let launcher: WorkflowLauncher
    /// The catalog as loaded (with its diagnostics).
    public let catalog: LoadedCatalog
    /// Prometheus collectors.
    public let metrics: APIMetrics
    /// Where the server logs.
    public let logger: Logger

    /// A server over these parts.
    public init(store: any Store, engine: Engine, catalog: LoadedCatalog, logger: Logger) {
        self.store = store
        self.engine = engine
        self.catalog = catalog
        self.logger = logger
        launcher = WorkflowLauncher(engine: engine, logger: logger)
        metrics = APIMetrics()
    }

    /// The API's path prefix.
    public static let prefix = "/api/v1"

    /// Paths answered without a token: health, and the dashboard's static files (its API calls carry a token).
    static func isOpen(_ path: String) -> Bool {
        path == prefix + "/health" || !path.hasPrefix(prefix) && path != "/metrics"
    }

    /// Every route.
    public func router() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: metrics.middleware())
        router.add(middleware: TokenMiddleware(store: store, open: Self.isOpen))
        addDashboard(to: router)
        let api = router.group(RouterPath(Self.prefix))
        addSystem(to: api, root: router)
        addCatalog(to: api)
        addServers(to: api)
        addWorkflows(to: api)
        addEvents(to: api)
        return router
    }

    /// The application listening on `host:port`, with the workflow launcher and the metrics feed as services.
    public func application(host: String, port: Int, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "HWAutomation"),
            services: [launcher, MetricsFeed(engine: engine, metrics: metrics)],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    // MARK: Helpers shared by the route files

    /// `value` as a JSON response (sorted keys, ISO 8601 dates).
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// The request body as `T`, or a 400 problem naming what is wrong.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let buffer = try await request.body.collect(upTo: 4 * 1024 * 1024)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let DecodingError.keyNotFound(key, _) {
            throw ProblemDetails(.badRequest, "the body has no `\(key.stringValue)`")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ProblemDetails(
                .badRequest, "`\(context.codingPath.map(\.stringValue).joined(separator: "."))` has the wrong type")
        } catch {
            throw ProblemDetails(.badRequest, "the body is not the JSON this route takes")
        }
    }

    /// A store call whose failure is a 503 problem.
    static func stored<T>(_ body: () async throws(StoreError) -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw ProblemDetails(.serviceUnavailable, "the store failed: \(error.message)")
        }
    }

    /// Records who did what.
    func audit(_ context: APIRequestContext, _ action: String, _ target: String, _ detail: String = "") async throws {
        try await Self.stored { () throws(StoreError) in
            try await store.audit(AuditEntry(actor: context.actor, action: action, target: target, detail: detail))
        }
    }
}

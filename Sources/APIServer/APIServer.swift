import Catalog
import Firmware
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import OpenAPIRuntime
import Orchestration
import ServiceLifecycle
import Store
import WorkflowEngine

/// HWAutomation's HTTP server: the REST API under `/api/v1` (JSON, errors as RFC 9457 problem+json, bearer tokens,
/// an OpenAPI 3.1 document), live events as Server-Sent Events, Prometheus metrics, and the dashboard.
public struct APIServer: Sendable, APIProtocol {
    /// The store (servers, workflows, events, tokens, audit).
    public let store: any Store
    /// The engine that runs what the API starts (its definitions are the workflows offered).
    public let engine: Engine
    /// Runs started workflows in this process.
    public let launcher: WorkflowLauncher
    /// The catalog as loaded (with its diagnostics).
    public let catalog: LoadedCatalog
    /// The MAAS region the MAAS routes and started workflows use (nil: the MAAS routes answer 503).
    public let maas: MAASSettings?
    /// Prometheus collectors.
    public let metrics: APIMetrics
    /// Every route registered, for the OpenAPI conformance test.
    public let routes = RouteTable()
    /// Where the server logs.
    public let logger: Logger
    /// The firmware repository the firmware routes read.
    public let firmware: FirmwareLibrary
    /// Rate limits, stream caps and how often a live stream re-checks its token.
    public let security: APISecurity
    /// How long finished runs' progress events are kept (nil: for ever); pruned by a service of the application.
    public let eventRetention: EventRetention?
    /// How often every server's drift is checked (nil: only when asked); a service of the application.
    public let driftEvery: EventRetention?
    let rateLimiter: RequestRateLimiter
    let streams: StreamLimiter
    let notifications: EventNotificationHub

    /// A server over these parts; `metrics` is where the engine's services report Redfish usage
    /// (`CommissioningServices(redfishUsage: metrics.recordRedfish)`).
    public init(
        store: any Store, engine: Engine, catalog: LoadedCatalog, maas: MAASSettings? = nil,
        metrics: APIMetrics = APIMetrics(), localWorkflows: Bool = true,
        firmware: FirmwareLibrary = FirmwareLibrary(directory: FirmwareLibrary.defaultDirectory()),
        security: APISecurity = APISecurity(), eventRetention: EventRetention? = nil,
        driftEvery: EventRetention? = nil, logger: Logger
    ) {
        self.eventRetention = eventRetention
        self.driftEvery = driftEvery
        self.firmware = firmware
        self.security = security
        rateLimiter = RequestRateLimiter(perSecond: security.requestsPerSecond, burst: security.burst)
        streams = StreamLimiter(perToken: security.streamsPerToken)
        notifications = EventNotificationHub(store: store, logger: logger)
        self.store = store
        self.engine = engine
        self.catalog = catalog
        self.maas = maas
        self.logger = logger
        launcher = WorkflowLauncher(engine: engine, local: localWorkflows, logger: logger)
        self.metrics = metrics
    }

    /// The API's path prefix.
    public static let prefix = "/api/v1"

    /// Every route, each in the router group of its access (`RouteGroups`): deny by default, decided by the router.
    /// The operations generated from the OpenAPI document take the access it declares (`SpecRouteTransport`; one
    /// that declares none stops the server from starting). `tls` adds `Strict-Transport-Security` to every answer.
    public func router(tls: Bool = false) throws -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware(tls: tls))
        router.add(middleware: metrics.middleware())
        router.add(middleware: ProblemMiddleware())
        let groups = RouteGroups(
            router: router, authenticator: TokenAuthenticator(store: store, limiter: rateLimiter))
        addDashboard(to: groups)
        // By hand: the document itself and `/metrics` (bodies as they are), and the live event stream (SSE).
        addSystem(to: groups)
        // Every operation of the OpenAPI document but the three below (generated: `APIProtocol`), in the group of
        // the access the document gives it. JSON with sorted keys and slashes as they are.
        try registerHandlers(
            on: SpecRouteTransport(groups: groups, routes: routes),
            configuration: Configuration(jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]))
        addEvents(to: groups)
        return router
    }

    /// The application listening on `host:port` (0: any free port), over TLS when `tls` is given, with the workflow
    /// launcher, the metrics feed, (with an `eventRetention`) the event pruner and (with `driftEvery`) the drift
    /// schedule as services of its service group.
    public func application(
        host: String, port: Int, tls: TLSConfiguration? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        var services: [any Service] = [launcher, MetricsFeed(engine: engine, metrics: metrics), notifications]
        if let eventRetention {
            services.append(EventPruner(store: store, retention: eventRetention, logger: logger))
        }
        if let driftEvery {
            services.append(
                DriftScheduler(drift: drift, store: store, launcher: launcher, every: driftEvery, logger: logger))
        }
        return Application(
            router: try router(tls: tls != nil),
            server: try tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1(),
            configuration: .init(address: .hostname(host, port: port), serverName: "HWAutomation"),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    // MARK: Helpers shared by the route files

    /// Registers `handler` for `method` on `path` (OpenAPI syntax: `/api/v1/servers/{id}`) in the group of
    /// `access`, and records the route.
    func on(
        _ groups: RouteGroups, _ access: RouteAccess, _ method: HTTPRequest.Method, _ path: String,
        _ handler: @escaping @Sendable (Request, APIRequestContext) async throws -> Response
    ) {
        routes.add(method: method.rawValue, path: path, access: access)
        groups.group(access).on(RouterPath(path), method: method) { request, context in
            try await handler(request, context)
        }
    }

    /// A store call whose failure is a 503 problem.
    static func stored<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw ProblemDetails(.serviceUnavailable, "the store failed: \(error)")
        }
    }

    /// Records who did what: the caller's token (`APIRequestContext.caller`, set for every route that takes one).
    func audit(_ action: String, _ target: String, _ detail: String = "") async throws {
        let actor = APIRequestContext.callerActor
        try await Self.stored {
            try await store.audit(AuditEntry(actor: actor, action: action, target: target, detail: detail))
        }
    }
}

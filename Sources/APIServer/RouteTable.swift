import Synchronization

/// The routes a server registered, as method and OpenAPI path: what the conformance test holds the OpenAPI
/// document to.
public final class RouteTable: Sendable {
    /// One route.
    public struct Route: Sendable, Hashable, Comparable {
        /// `GET`, `POST`, ...
        public var method: String
        /// `/api/v1/servers/{id}`.
        public var path: String

        /// A route.
        public init(method: String, path: String) {
            self.method = method
            self.path = path
        }

        /// Orders by path, then method.
        public static func < (lhs: Route, rhs: Route) -> Bool { (lhs.path, lhs.method) < (rhs.path, rhs.method) }
    }

    private let entries = Mutex<[Route]>([])

    /// An empty table.
    public init() {}

    func add(method: String, path: String) {
        entries.withLock { $0.append(Route(method: method, path: path)) }
    }

    /// Every route, by path.
    public var all: [Route] { entries.withLock { $0 }.sorted() }
}

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
        /// Who may call it (not part of its identity: one method and path is one route).
        public var access: RouteAccess

        /// A route.
        public init(method: String, path: String, access: RouteAccess = .open) {
            self.method = method
            self.path = path
            self.access = access
        }

        /// Method and path.
        public static func == (lhs: Route, rhs: Route) -> Bool { lhs.method == rhs.method && lhs.path == rhs.path }

        /// Method and path.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(method)
            hasher.combine(path)
        }

        /// Orders by path, then method.
        public static func < (lhs: Route, rhs: Route) -> Bool { (lhs.path, lhs.method) < (rhs.path, rhs.method) }
    }

    private let entries = Mutex<[Route]>([])

    /// An empty table.
    public init() {}

    func add(method: String, path: String, access: RouteAccess) {
        entries.withLock { $0.append(Route(method: method, path: path, access: access)) }
    }

    /// Every route, by path.
    public var all: [Route] { entries.withLock { $0 }.sorted() }
}

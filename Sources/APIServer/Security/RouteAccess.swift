import Store

/// Who may call a route: the router decides, because every route is registered in the group of its access.
public enum RouteAccess: Sendable, Hashable, CustomStringConvertible {
    /// No token: health, the OpenAPI document, the dashboard's files.
    case open
    /// A working token of at least this scope.
    case token(APIToken.Scope)
    /// A working read token, also accepted as `?access_token=` (EventSource cannot set headers): the event stream.
    case eventStream

    /// The least scope a caller needs (nil: none).
    public var scope: APIToken.Scope? {
        switch self {
        case .open: nil
        case .token(let scope): scope
        case .eventStream: .read
        }
    }

    /// `open`, `read`, `operator`, `admin`.
    public var description: String { scope?.rawValue ?? "open" }
}

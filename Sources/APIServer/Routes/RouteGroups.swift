import Hummingbird
import Store

/// The router's groups, one per access: a route is registered in exactly one, and the group's middleware (none for
/// the open group, a `TokenAuthenticator` for the others) decides whether a request reaches it. Nothing compares
/// request paths: a request the router does not match is a 404 whatever its spelling.
struct RouteGroups {
    private let open: RouterGroup<APIRequestContext>
    private let read: RouterGroup<APIRequestContext>
    private let operate: RouterGroup<APIRequestContext>
    private let admin: RouterGroup<APIRequestContext>
    private let events: RouterGroup<APIRequestContext>

    init(router: Router<APIRequestContext>, authenticator: TokenAuthenticator) {
        open = router.group()
        read = router.group().add(middleware: authenticator.requiring(.read))
        operate = router.group().add(middleware: authenticator.requiring(.operator))
        admin = router.group().add(middleware: authenticator.requiring(.admin))
        events = router.group().add(middleware: authenticator.requiring(.read, queryToken: true))
    }

    /// The group for `access`.
    func group(_ access: RouteAccess) -> RouterGroup<APIRequestContext> {
        switch access {
        case .open: open
        case .token(.read): read
        case .token(.operator): operate
        case .token(.admin): admin
        case .eventStream: events
        }
    }
}

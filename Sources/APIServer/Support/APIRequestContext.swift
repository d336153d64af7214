import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store
import WorkflowEngine

/// The request context of the API: Hummingbird's core storage plus the caller's token once authenticated.
public struct APIRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The token the request presented (nil on the open routes).
    public var token: APIToken?

    /// A context for a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        token = nil
    }

    /// The token of the request being handled, for the handlers the OpenAPI document generates (they get the
    /// operation's input, not this context): set by the token groups' middleware, nil on the open routes.
    @TaskLocal public static var caller: APIToken?

    /// Who is calling, as the audit log names it (`token <name>`, or `anonymous` on an open route).
    static var callerActor: String { caller.map { "token \($0.name)" } ?? "anonymous" }
}

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

    /// Who did it, as the audit log names it: `token <name>`.
    public var actor: String { token.map { "token \($0.name)" } ?? "anonymous" }
}

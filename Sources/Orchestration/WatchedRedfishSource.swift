import Redfish
import Synchronization
import WorkflowEngine

/// Passes GETs to a BMC and remembers the first one that failed in a way retrying may fix (no answer, a timeout, an
/// answer that is not JSON), so discovery fails and is retried instead of classifying half a server. An HTTP error
/// the client's own retries did not clear (sushy-tools answers 500 for a libvirt node's Storage every time) is a
/// property of that BMC: it stays a problem in the inventory, and discovery goes on.
final class WatchedRedfishSource: RedfishDocumentSource {
    private let upstream: any RedfishDocumentSource
    private let failure = Mutex<RedfishError?>(nil)

    init(upstream: any RedfishDocumentSource) {
        self.upstream = upstream
    }

    var serviceRootPath: String { upstream.serviceRootPath }

    func get(_ path: String) async throws -> JSONValue {
        do {
            return try await upstream.get(path)
        } catch let error as RedfishError {
            if error.kind != .http, error.isWorthRetryingLater { failure.withLock { $0 = $0 ?? error } }
            throw error
        }
    }

    /// The first transient failure, if any.
    var firstFailure: RedfishError? { failure.withLock { $0 } }
}

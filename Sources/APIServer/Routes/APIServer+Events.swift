import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Store
import WorkflowEngine

extension APIServer {
    /// Server-Sent Events at `/api/v1/events`: every stored event (or one workflow's, or one server's), each with
    /// its store sequence number as the SSE id. A client that reconnects with `Last-Event-ID` (or `?after=`) gets
    /// the events after that one from the store before the live ones, at most `EventStream.catchUpLimit` (1,000) of
    /// them: one further behind gets a `truncated` message first (reload the view) and the newest 1,000 only. A
    /// stream of one workflow (`?workflow=`) catches up on all of that run's events. Without it the stream starts
    /// live.
    /// `?max_seconds=N` ends the stream after N seconds (the client reconnects; the dashboard uses it so that a
    /// revoked token stops receiving within that time).
    ///
    /// The engine's live stream only wakes the route: what is sent is read from the store in sequence order, so an
    /// event the engine publishes late (runs commit concurrently) is neither skipped nor sent twice.
    func addEvents(to groups: RouteGroups) {
        on(groups, .eventStream, .get, Self.prefix + "/events") { request, context in
            guard let token = context.token else {
                throw ProblemDetails(.unauthorized, "this route needs an API token")
            }
            let workflow = request.query("workflow")
            let server = request.query("server")
            if let workflow,
                try await Self.stored({ try await store.workflow(id: workflow) })
                    == nil
            {
                throw ProblemDetails(.notFound, "query parameter `workflow`: no workflow \(workflow)")
            }
            if let server, try await Self.stored({ try await store.server(id: server) }) == nil {
                throw ProblemDetails(.notFound, "query parameter `server`: no server \(server)")
            }
            var resume: Int64?
            if let header = request.headers[.lastEventID] ?? request.query("after") {
                guard let seq = Int64(header.trimmingCharacters(in: .whitespaces)), seq >= 0 else {
                    throw ProblemDetails(.badRequest, "`Last-Event-ID` (or `after`) must be an event id (an integer)")
                }
                resume = seq
            }
            let seconds = try request.query("max_seconds", fallback: 0, in: 0...86_400)
            guard streams.acquire(token.id) else {
                throw ProblemDetails(
                    .tooManyRequests,
                    "the token \(token.name) already holds \(streams.perToken) live event streams; close one first",
                    retryAfter: 5)
            }
            let subscription = notifications.subscribe()
            let tokens = store
            let stream = EventStream(
                store: store, engine: engine, workflow: workflow, server: server, resume: resume,
                duration: seconds > 0 ? .seconds(seconds) : nil, announcements: subscription.announcements,
                tokenWorks: {
                    do {
                        guard let current = try await tokens.token(digest: token.digest) else { return false }
                        return current.refusal(at: Date()) == nil
                    } catch {
                        // A store that cannot be read keeps the stream: the next reconnection is checked anyway.
                        return true
                    }
                }, recheck: security.tokenRecheck, logger: logger)
            let streams = streams
            let notifications = notifications
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/event-stream", .cacheControl: "no-cache", .init("X-Accel-Buffering")!: "no",
                ],
                body: ResponseBody { writer in
                    defer {
                        streams.release(token.id)
                        notifications.unsubscribe(subscription.id)
                    }
                    try await stream.write(to: &writer)
                })
        }
    }
}

extension HTTPField.Name {
    /// `Last-Event-ID` (the SSE reconnection header).
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}

import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Store
import WorkflowEngine

/// One SSE client's stream: stored events after `resume` (if given), then live ones, read from the store in
/// sequence order whenever this engine says something new was stored, whenever a shared PostgreSQL announces an
/// event another process stored (LISTEN/NOTIFY), and every `poll` in any case.
struct EventStream: Sendable {
    let store: any Store
    let engine: Engine
    let workflow: String?
    let server: String?
    let resume: Int64?
    /// How long the stream lasts (nil: until the client or the server goes).
    let duration: Duration?
    /// The process's shared store announcements (events other processes store), if the store makes them.
    let announcements: AsyncStream<Int64>?
    /// Whether the token that opened the stream still works (re-read every `recheck`; false ends the stream).
    let tokenWorks: @Sendable () async -> Bool
    /// How often `tokenWorks` is asked.
    let recheck: Duration
    /// How often the store is read without a wakeup (events stored by other processes sharing it).
    var poll: Duration = .seconds(2)
    /// The most stored events a reconnecting client catches up on (`catchUpLimit`): further behind, it gets a
    /// `truncated` message and the newest ones only.
    var catchUpLimit: Int64 = EventStream.catchUpLimit
    let logger: Logger

    /// Writes until the client goes away, the server shuts down, the token stops working (revoked or expired: seen
    /// within `recheck`), or `duration` (when given) has passed: then the stream ends cleanly and an EventSource
    /// reconnects with `Last-Event-ID`, missing nothing (a revoked token is refused at that reconnection).
    func write(to writer: inout any ResponseBodyWriter) async throws {
        // Subscribe before reading the store, so nothing stored in between is lost.
        let live = engine.subscribe()
        var servers: [String: String] = [:]
        try await writer.write(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
        var last = resume
        if let resume {
            let start = try await catchUpStart(after: resume, to: &writer)
            last = try await sendStored(after: start, to: &writer, servers: &servers)
        }
        let (wakeups, wake) = AsyncStream.makeStream(of: Int64?.self)
        let duration = duration
        let poll = poll
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Child tasks of this request: one forwards the sequence numbers of this engine's events, one looks at
            // the store every `poll` (events other processes store), one ends the stream at `duration`.
            group.addTask {
                for await event in live { wake.yield(event.seq) }
                wake.finish()
            }
            group.addTask {
                while (try? await Task.sleep(for: poll)) != nil { wake.yield(nil) }
            }
            // A shared PostgreSQL announces every stored event (LISTEN/NOTIFY, one listener per process): other
            // processes' progress shows at once rather than at the next poll.
            if let announcements {
                group.addTask {
                    for await seq in announcements { wake.yield(seq) }
                }
            }
            let tokenWorks = tokenWorks
            let recheck = recheck
            group.addTask {
                while (try? await Task.sleep(for: recheck)) != nil {
                    if await !tokenWorks() { break }
                }
                wake.finish()
            }
            if let duration {
                group.addTask {
                    try? await Task.sleep(for: duration)
                    wake.finish()
                }
            }
            for await seq in wakeups.cancelOnGracefulShutdown() {
                if let seq {
                    if let sent = last, seq <= sent { continue }
                    last = try await sendStored(after: last ?? (seq - 1), to: &writer, servers: &servers)
                } else if let sent = last {
                    last = try await sendStored(after: sent, to: &writer, servers: &servers)
                }
            }
            group.cancelAll()
        }
        try await writer.finish(nil)
    }

    /// The most stored events a reconnecting client of the whole stream (or of one server's) is sent before the
    /// live ones; an older `Last-Event-ID` gets a `truncated` message (reload, then follow) and the newest of them.
    static let catchUpLimit: Int64 = 1000

    /// Where the catch-up after `resume` starts: `resume` itself when at most `catchUpLimit` events were stored
    /// since (always for one workflow's stream: a run's own events), else that many before the newest, after a
    /// `truncated` message whose id is that start (so a reconnection goes on from there).
    private func catchUpStart(after resume: Int64, to writer: inout any ResponseBodyWriter) async throws -> Int64 {
        guard workflow == nil else { return resume }
        let latest = try await APIServer.stored { try await store.latestEventSeq() }
        guard latest - resume > catchUpLimit else { return resume }
        let start = latest - catchUpLimit
        try await writer.write(
            ByteBuffer(string: try Self.truncation(from: resume, to: start, latest: latest, limit: catchUpLimit)))
        return start
    }

    /// The `truncated` SSE message: events `from`+1 … `to` are not sent; the client should reload its view.
    static func truncation(from resume: Int64, to start: Int64, latest: Int64, limit: Int64) throws -> String {
        let notice: [String: JSONValueOrNumber] = [
            "kind": .text("stream.truncated"), "after": .number(resume), "skipped_to": .number(start),
            "latest": .number(latest), "limit": .number(limit),
            "message": .text(
                "more than \(limit) events were stored since event \(resume): reload the view; the stream goes on "
                    + "from event \(start)"),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(notice)
        return "event: truncated\nid: \(start)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
    }

    /// A JSON scalar of the `truncated` message.
    enum JSONValueOrNumber: Encodable {
        case text(String)
        case number(Int64)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let value): try container.encode(value)
            case .number(let value): try container.encode(value)
            }
        }
    }

    /// Sends every stored event after `seq` that passes the filters; returns the last sequence number read.
    private func sendStored(after seq: Int64, to writer: inout any ResponseBodyWriter, servers: inout [String: String])
        async throws -> Int64
    {
        var last = seq
        while true {
            let batch = try await APIServer.stored {
                try await store.events(workflowID: workflow, after: last, limit: 500)
            }
            guard !batch.isEmpty else { return last }
            var text = ""
            for event in batch {
                last = max(last, event.seq ?? last)
                let owner = try await serverID(of: event.workflowID, cache: &servers)
                if let server, owner != server { continue }
                text += try Self.frame(event, server: owner)
            }
            if !text.isEmpty { try await writer.write(ByteBuffer(string: text)) }
            if batch.count < 500 { return last }
        }
    }

    private func serverID(of workflowID: String, cache: inout [String: String]) async throws -> String? {
        if let known = cache[workflowID] { return known }
        let record = try await APIServer.stored { try await store.workflow(id: workflowID) }
        if let record { cache[workflowID] = record.serverID }
        return record?.serverID
    }

    /// One SSE message: `id: seq` and the event as JSON (with the run's server).
    static func frame(_ event: EventRecord, server: String?) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(EventView(event: event, serverID: server))
        return "id: \(event.seq ?? 0)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
    }
}

import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization

/// One LISTEN for the whole server process: when the store announces events other processes store (PostgreSQL's
/// LISTEN/NOTIFY), this service holds the one listening connection and fans each announcement out to every open
/// event stream, instead of a connection per client.
final class EventNotificationHub: Service, Sendable {
    let store: any EventHistoryRepository
    let logger: Logger
    private let subscribers = Mutex<[UUID: AsyncStream<Int64>.Continuation]>([:])

    init(store: any EventHistoryRepository, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Announcements from now on (the stream ends when `unsubscribe(id)` is called or the server stops).
    func subscribe() -> (id: UUID, announcements: AsyncStream<Int64>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: Int64.self, bufferingPolicy: .bufferingNewest(64))
        subscribers.withLock { $0[id] = continuation }
        return (id, stream)
    }

    /// Stops the announcements of `id`.
    func unsubscribe(_ id: UUID) {
        subscribers.withLock { $0.removeValue(forKey: id) }?.finish()
    }

    /// Listens until the server shuts down (a store without announcements: just waits for the shutdown, since a
    /// service that returns early would stop the whole service group).
    func run() async throws {
        if let announcements = store.eventNotifications(logger: logger) {
            for await seq in announcements.cancelOnGracefulShutdown() {
                subscribers.withLock { subscribers in
                    for continuation in subscribers.values { continuation.yield(seq) }
                }
            }
        }
        try? await gracefulShutdown()
        let ended = subscribers.withLock { subscribers in
            defer { subscribers.removeAll() }
            return Array(subscribers.values)
        }
        for continuation in ended { continuation.finish() }
    }
}

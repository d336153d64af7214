import Synchronization

/// Hands every stored event to whoever is listening (the CLI's progress display, the HTTP server's streams).
public final class EventHub: Sendable {
    private let subscribers = Mutex<[UInt64: AsyncStream<EventRecord>.Continuation]>([:])
    private let nextID = Atomic<UInt64>(0)

    /// A hub with no listeners.
    public init() {}

    /// Every event published from now on, until the stream is dropped or `finish` is called.
    public func subscribe() -> AsyncStream<EventRecord> {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(of: EventRecord.self, bufferingPolicy: .unbounded)
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    /// Gives `event` to every listener.
    public func publish(_ event: EventRecord) {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.yield(event) }
    }

    /// Ends every listener's stream.
    public func finish() {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.finish() }
    }
}

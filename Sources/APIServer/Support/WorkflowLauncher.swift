import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Store
import WorkflowEngine

/// Runs the workflows the API starts, in this process, for as long as the server runs (a service of the
/// server's service group). At a graceful shutdown it takes nothing new and tells the engine to leave running
/// workflows as a stopped process would (durable, resumable), then ends their tasks.
public final class WorkflowLauncher: Service, Sendable {
    private let engine: Engine
    private let requests: AsyncStream<[String]>
    private let continuation: AsyncStream<[String]>.Continuation
    private let logger: Logger
    /// `limits.global` runs at once over every start request (each `Engine.run` call limits only its own ids).
    private let permits: Limiter
    /// False when `hwautomation worker` processes run the workflows (the server only creates them).
    public let local: Bool

    /// A launcher over `engine`; with `local` false it runs nothing (workers sharing the store do).
    public init(engine: Engine, local: Bool = true, logger: Logger) {
        self.engine = engine
        self.local = local
        self.logger = logger
        let global = max(1, engine.limits.global)
        permits = Limiter { _ in global }
        (requests, continuation) = AsyncStream.makeStream(of: [String].self)
    }

    /// Starts running `ids` (already created in the store); without local runs they wait for the workers.
    public func start(_ ids: [String]) {
        guard local else { return }
        continuation.yield(ids)
    }

    /// The service body: one child task per started run (at most `limits.global` running) until shutdown.
    public func run() async throws {
        let engine = engine
        let permits = permits
        await withTaskGroup(of: Void.self) { group in
            for await ids in requests.cancelOnGracefulShutdown() {
                for id in ids {
                    group.addTask {
                        do { try await permits.acquire("global") } catch { return }
                        defer { permits.release("global") }
                        _ = await engine.run([id])
                    }
                }
            }
            logger.info("shutting down: running workflows stay resumable (`workflow resume --all`)")
            await engine.abandonRunsOnCancel()
            group.cancelAll()
        }
    }
}

import ArgumentParser
import Foundation
import Logging
import Store
import WorkflowEngine

/// `hwautomation bench engine`.
struct BenchEngineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Run N workflows of S steps at once, each step simulated I/O of fixed latency; prints JSON.",
        discussion: """
            Every step is stored before and after it runs (with its event), as in real workflows. Reports the \
            engine's overhead per step (wall time beyond the steps' own latency, spread over all steps; and CPU \
            time per step), stored transitions per second, and peak RSS. Targets: under 1 ms per step and under \
            200 MB at 10,000 concurrent workflows. Build with -c release for figures that count.
            """)

    @Option(help: "Workflows.") var workflows = 10_000
    @Option(help: "Workflows running at once (default: all).") var concurrency: Int?
    @Option(help: "Steps per workflow.") var steps = 10
    @Option(name: .customLong("step-ms"), help: "Each step's simulated I/O, in milliseconds.") var stepMs = 10
    @Option(help: ArgumentHelp("SQLite file for the store (default: in memory).", valueName: "path")) var db: String?
    @Flag(help: "Print JSON (the default and only format; accepted for symmetry).") var json = false

    func validate() throws {
        guard workflows >= 1, steps >= 1, stepMs >= 0 else {
            throw ValidationError("--workflows and --steps must be at least 1, --step-ms at least 0")
        }
    }

    func run() async throws {
        var logger = Logger(label: "hwautomation.bench")
        logger.logLevel = .critical
        let store: any Store
        if let db {
            store = try SQLiteStore(path: db, box: .ephemeral())
        } else {
            store = InMemoryStore(box: .ephemeral())
        }
        let latency = Duration.milliseconds(stepMs)
        let definition = WorkflowDefinition(
            name: "bench", version: 1, summary: "simulated I/O",
            steps: (0..<steps).map { index in
                StepDefinition("io-\(index)", idempotent: true) { _ in
                    try await Task.sleep(for: latency)
                    return .done(output: "{}")
                }
            })
        let engine = Engine(
            repository: store, definitions: [definition], limits: Engine.Limits(global: concurrency ?? workflows),
            logger: logger)
        let clock = ContinuousClock()
        var ids: [String] = []
        let creating = try await clock.measure {
            for index in 0..<workflows {
                ids.append(try await engine.create(definition: "bench", serverID: "s\(index)", input: [:]).id)
            }
        }
        // Transitions are counted by the engine as it stores them, not read back or streamed: holding 220,000
        // events in memory would be the benchmark measuring itself.
        let before = engine.eventsStored
        let cpuBefore = BenchFigures.cpuSeconds()
        var results: [WorkflowRecord] = []
        let running = await clock.measure { results = await engine.run(ids) }
        let cpu = BenchFigures.cpuSeconds() - cpuBefore
        let transitions = engine.eventsStored - before
        let wall = BenchFigures.seconds(running)
        let ideal = Double(steps) * BenchFigures.seconds(latency)
        let total = Double(workflows * steps)
        let output: [String: JSONNumberOrText] = [
            "benchmark": .text("engine"), "build": .text(BenchFigures.build),
            "store": .text(db == nil ? "memory" : "sqlite"), "workflows": .number(Double(workflows)),
            "concurrency": .number(Double(concurrency ?? workflows)),
            "steps": .number(Double(steps)), "step_ms": .number(Double(stepMs)),
            "create_seconds": BenchFigures.round(BenchFigures.seconds(creating)),
            "run_seconds": BenchFigures.round(wall), "ideal_seconds": BenchFigures.round(ideal),
            "overhead_ms_per_step": BenchFigures.round(max(0, wall - ideal) / total * 1000, 4),
            "cpu_ms_per_step": BenchFigures.round(cpu / total * 1000, 4),
            "events_stored_during_run": .number(Double(transitions)),
            "events_per_second": .number((Double(transitions) / max(wall, 1e-9)).rounded()),
            "succeeded": .number(Double(results.filter { $0.state == .succeeded }.count)),
            "peak_rss_mb": .number(BenchFigures.peakRSSMegabytes()),
            "target_overhead_ms_per_step": .number(1), "target_rss_mb": .number(200),
        ]
        print(try Terminal.json(output))
    }
}

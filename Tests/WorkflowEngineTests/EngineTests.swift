import Foundation
import Logging
import Store
import Synchronization
import Testing

@testable import WorkflowEngine

/// A clock that never waits: it records the backoff it was asked for and moves its time on.
final class TestClock: EngineClock {
    private let state = Mutex((now: Date(timeIntervalSince1970: 1_800_000_000), slept: [Duration]()))

    func now() -> Date { state.withLock { $0.now } }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.slept.append(duration)
            $0.now = $0.now.addingTimeInterval(Engine.seconds(duration))
        }
        await Task.yield()
    }

    var slept: [Duration] { state.withLock { $0.slept } }
}

/// Counts how often each step ran, and how many ran at once.
actor Tally {
    var runs: [String: Int] = [:]
    var active = 0
    var maxActive = 0

    func ran(_ step: String) { runs[step, default: 0] += 1 }
    func enter() {
        active += 1
        maxActive = max(maxActive, active)
    }
    func leave() { active -= 1 }
}

func makeStore() -> InMemoryStore { InMemoryStore(box: SecretBox.ephemeral()) }

func makeEngine(
    _ store: any Store, _ definitions: [WorkflowDefinition], limits: Engine.Limits = Engine.Limits(),
    clock: TestClock = TestClock(), owner: String = "test:1"
) -> Engine {
    Engine(
        repository: store, definitions: definitions, limits: limits, clock: clock, owner: owner, jitter: { 1.0 },
        logger: Logger(label: "test"))
}

/// The first step of the happy path, with its output's type.
let firstKey = StepKey<[String: String]>("first")

@Suite("Workflow engine")
struct EngineTests {
    @Test("a run passes outputs along, stores every transition with its event, and succeeds")
    func happyPath() async throws {
        let store = makeStore()
        let definition = WorkflowDefinition(
            name: "two", version: 1, summary: "",
            steps: [
                StepDefinition(firstKey, idempotent: true) { context in
                    await context.report("halfway", percent: 50)
                    return .done(firstKey, ["bmc": context.input["bmc"] ?? "?"])
                },
                StepDefinition("second", idempotent: true) { context in
                    let first = try context.output(firstKey)
                    return .done(output: StepContext.json(["seen": first?["bmc"] ?? "nothing"]))
                },
            ])
        let engine = makeEngine(store, [definition])
        let created = try await engine.create(definition: "two", serverID: "S1", input: ["bmc": "10.0.0.5"])
        let results = await engine.run([created.id])
        #expect(results.map(\.state) == [.succeeded])
        #expect(results.first?.owner == nil)
        let steps = try await store.steps(workflowID: created.id)
        #expect(steps.map(\.state) == [.succeeded, .succeeded])
        #expect(steps.last?.output == #"{"seen":"10.0.0.5"}"#)
        let events = try await store.events(workflowID: created.id, after: 0, limit: 100)
        #expect(
            events.map(\.kind) == [
                .workflowCreated, .stepStarted, .stepProgress, .stepSucceeded, .stepStarted,
                .stepSucceeded, .workflowSucceeded,
            ])
        #expect(events.compactMap(\.seq) == events.indices.map { Int64($0 + 1) })
    }

    @Test("transient errors are retried with exponential backoff; the step ends succeeded on attempt 3")
    func transientRetry() async throws {
        let store = makeStore()
        let tally = Tally()
        let definition = WorkflowDefinition(
            name: "flaky", version: 1, summary: "",
            steps: [
                StepDefinition(
                    "call", idempotent: true, retry: RetryPolicy(maxAttempts: 4, initialDelay: .seconds(2))
                ) { context in
                    await tally.ran("call")
                    if context.attempt < 3 { throw StepError("BMC answered 503", transient: true) }
                    return .done(output: "{}")
                }
            ])
        let clock = TestClock()
        let engine = makeEngine(store, [definition], clock: clock)
        let created = try await engine.create(definition: "flaky", serverID: "S1", input: [:])
        #expect(await engine.run([created.id]).first?.state == .succeeded)
        #expect(await tally.runs["call"] == 3)
        #expect(clock.slept == [.seconds(2), .seconds(4)])
        let step = try await store.steps(workflowID: created.id)[0]
        #expect(step.attempt == 3 && step.state == .succeeded)
        let kinds = try await store.events(workflowID: created.id, after: 0, limit: 100).map(\.kind)
        #expect(kinds.filter { $0 == .stepRetry }.count == 2)
    }

    @Test("a permanent error fails the step and the run at once; later steps stay pending")
    func permanentFailure() async throws {
        let store = makeStore()
        try await store.upsertServer(ServerRecord(id: "S1", name: "one", status: "new"))
        let tally = Tally()
        let definition = WorkflowDefinition(
            name: "broken", version: 1, summary: "",
            steps: [
                StepDefinition("refuse", idempotent: true) { _ in
                    await tally.ran("refuse")
                    throw StepError("BootMode=Legacy is not allowed (UEFI only)")
                },
                StepDefinition("after", idempotent: true) { _ in .done(output: "{}") },
            ])
        let engine = makeEngine(store, [definition])
        let created = try await engine.create(definition: "broken", serverID: "S1", input: [:])
        let result = try #require(await engine.run([created.id]).first)
        #expect(result.state == .failed)
        #expect(result.reason == "refuse: BootMode=Legacy is not allowed (UEFI only)")
        #expect(await tally.runs["refuse"] == 1)
        #expect(try await store.steps(workflowID: created.id).map(\.state) == [.failed, .pending])
    }

    @Test("a step past its timeout is cancelled and fails the run with the limit in the reason")
    func stepTimeout() async throws {
        let store = makeStore()
        let definition = WorkflowDefinition(
            name: "slow", version: 1, summary: "",
            steps: [
                StepDefinition("hang", idempotent: true, timeout: .milliseconds(50)) { _ in
                    try await Task.sleep(for: .seconds(3600))
                    return .done(output: "{}")
                }
            ])
        let engine = makeEngine(store, [definition])
        let created = try await engine.create(definition: "slow", serverID: "S1", input: [:])
        let result = try #require(await engine.run([created.id]).first)
        #expect(result.state == .failed)
        #expect(result.reason == "hang: timed out after 0.05 seconds")
        #expect(try await store.steps(workflowID: created.id).first?.state == .failed)
    }

    @Test("cancelling mid-step stops the step's task and records the run and step as cancelled")
    func cancellation() async throws {
        let store = makeStore()
        try await store.upsertServer(ServerRecord(id: "S1", name: "one", status: "new"))
        let (started, signal) = AsyncStream.makeStream(of: Void.self)
        let definition = WorkflowDefinition(
            name: "long", version: 1, summary: "",
            steps: [
                StepDefinition("wait", idempotent: true) { _ in
                    signal.yield()
                    try await Task.sleep(for: .seconds(3600))
                    return .done(output: "{}")
                },
                StepDefinition("never", idempotent: true) { _ in .done(output: "{}") },
            ])
        let engine = makeEngine(store, [definition])
        let created = try await engine.create(definition: "long", serverID: "S1", input: [:])
        async let results = engine.run([created.id])
        var iterator = started.makeAsyncIterator()
        _ = await iterator.next()
        try await engine.cancel(created.id)
        let result = try #require(await results.first)
        #expect(result.state == .cancelled)
        #expect(try await store.steps(workflowID: created.id).map(\.state) == [.cancelled, .pending])
    }

    @Test("low confidence waits for an operator; reopening with a decision continues from that step")
    func waitAndReopen() async throws {
        let store = makeStore()
        let definition = WorkflowDefinition(
            name: "decide", version: 1, summary: "",
            steps: [
                StepDefinition("classify", idempotent: true) { context in
                    guard let type = context.input["device_type"] else {
                        return .waitForOperator(reason: "no catalog type fits; give --device-type")
                    }
                    return .done(output: StepContext.json(["type": type]))
                }
            ])
        let engine = makeEngine(store, [definition])
        let created = try await engine.create(definition: "decide", serverID: "S1", input: [:])
        let waiting = try #require(await engine.run([created.id]).first)
        #expect(waiting.state == .waiting)
        #expect(waiting.reason == "classify: no catalog type fits; give --device-type")
        _ = try await engine.reopen(created.id, input: ["device_type": "s2.c2.small"])
        let done = try #require(await engine.run([created.id]).first)
        #expect(done.state == .succeeded)
        #expect(try await store.steps(workflowID: created.id).first?.output == #"{"type":"s2.c2.small"}"#)
    }

    /// A run whose step 0 succeeded and whose step 1 was in flight when its owner (a dead process) stopped.
    func interrupted(_ store: InMemoryStore, definition: String) async throws -> String {
        let id = "wf-\(definition)"
        let workflow = WorkflowRecord(
            id: id, definition: definition, version: 1, serverID: "S1", state: .running, owner: "gone:1",
            heartbeat: Date(timeIntervalSince1970: 0))
        _ = try await store.createWorkflow(
            workflow,
            steps: [
                StepRecord(workflowID: id, index: 0, name: "read", state: .succeeded, attempt: 1, output: "{}"),
                StepRecord(workflowID: id, index: 1, name: "apply", state: .running, attempt: 1),
            ], event: EventRecord(workflowID: id, kind: .workflowCreated, message: ""))
        return id
    }

    func resumeDefinition(_ name: String, tally: Tally, check: (@Sendable (StepContext) async throws -> StepCheck)?)
        -> WorkflowDefinition
    {
        WorkflowDefinition(
            name: name, version: 1, summary: "",
            steps: [
                StepDefinition("read", idempotent: true) { _ in
                    await tally.ran("read")
                    return .done(output: "{}")
                },
                StepDefinition("apply", idempotent: false, mutating: true, check: check) { _ in
                    await tally.ran("apply")
                    return .done(output: #"{"applied":true}"#)
                },
            ])
    }

    @Test("resume: an interrupted non-idempotent step found done is not run again; earlier steps are not re-run")
    func resumeCheckedDone() async throws {
        let store = makeStore()
        let tally = Tally()
        let id = try await interrupted(store, definition: "done")
        let engine = makeEngine(
            store, [resumeDefinition("done", tally: tally) { _ in .completed(output: #"{"applied":"before"}"#) }])
        #expect(try await engine.resumable().map(\.id) == [id])
        #expect(await engine.run([id]).first?.state == .succeeded)
        #expect(await tally.runs == [:])
        let apply = try await store.steps(workflowID: id)[1]
        #expect(apply.output == #"{"applied":"before"}"# && apply.attempt == 1)
    }

    @Test("resume: an interrupted step whose check says nothing was done runs once more")
    func resumeCheckedSafe() async throws {
        let store = makeStore()
        let tally = Tally()
        let id = try await interrupted(store, definition: "safe")
        let engine = makeEngine(store, [resumeDefinition("safe", tally: tally) { _ in .safeToRun }])
        #expect(await engine.run([id]).first?.state == .succeeded)
        #expect(await tally.runs == ["apply": 1])
        #expect(try await store.steps(workflowID: id)[1].attempt == 2)
        let kinds = try await store.events(workflowID: id, after: 0, limit: 100).map(\.kind)
        #expect(kinds.contains(.stepChecked))
    }

    @Test("resume: an interrupted non-idempotent step without a check waits for an operator, never re-runs")
    func resumeUncheckable() async throws {
        let store = makeStore()
        let tally = Tally()
        let id = try await interrupted(store, definition: "blind")
        let engine = makeEngine(store, [resumeDefinition("blind", tally: tally, check: nil)])
        let result = try #require(await engine.run([id]).first)
        #expect(result.state == .waiting)
        #expect(result.reason?.contains("is not idempotent and has no check") == true)
        #expect(await tally.runs == [:])
    }

    @Test("a run held by a live owner is left alone")
    func liveOwner() async throws {
        let store = makeStore()
        let id = "wf-held"
        _ = try await store.createWorkflow(
            WorkflowRecord(
                id: id, definition: "safe", version: 1, serverID: "S1", state: .running,
                owner: Engine.processOwner(), heartbeat: Date()),
            steps: [], event: EventRecord(workflowID: id, kind: .workflowCreated, message: ""))
        // Its owner is this (live) process and its heartbeat is fresh: another engine must not take it.
        let other = Engine(repository: store, definitions: [], owner: "other:2", logger: Logger(label: "test"))
        #expect(try await other.resumable().isEmpty)
        #expect(
            try await store.claimWorkflow(id: id, owner: "other:2", replacing: nil, staleBefore: .distantPast) == nil)
    }

    @Test("per-BMC limit 1: mutating steps of two runs on one BMC never overlap; other BMCs run alongside")
    func perBMCLimit() async throws {
        let store = makeStore()
        let tally = Tally()
        let definition = WorkflowDefinition(
            name: "mutate", version: 1, summary: "",
            steps: [
                StepDefinition("change", idempotent: true, mutating: true) { context in
                    if context.input["bmc"] == "shared" { await tally.enter() }
                    for _ in 0..<20 { await Task.yield() }
                    try await Task.sleep(for: .milliseconds(5))
                    if context.input["bmc"] == "shared" { await tally.leave() }
                    return .done(output: "{}")
                }
            ],
            permitKeys: { PermitKeys(bmc: $0.input["bmc"]) })
        let engine = makeEngine(store, [definition], limits: Engine.Limits(global: 8, perBMC: 1))
        var ids: [String] = []
        for n in 0..<4 {
            ids.append(
                try await engine.create(definition: "mutate", serverID: "S\(n)", input: ["bmc": "shared"]).id)
            ids.append(
                try await engine.create(definition: "mutate", serverID: "T\(n)", input: ["bmc": "own-\(n)"]).id)
        }
        #expect(await engine.run(ids).allSatisfy { $0.state == .succeeded })
        #expect(await tally.maxActive == 1)
    }

    @Test("the limiter hands permits over in order and drops a cancelled waiter")
    func limiter() async throws {
        let limiter = Limiter { _ in 1 }
        try await limiter.acquire("k")
        let waiter = Task { try await limiter.acquire("k") }
        while true {
            await Task.yield()
            if limiter.inUse("k") == 1 { break }
        }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        limiter.release("k")
        #expect(limiter.inUse("k") == 0)
    }

    @Test("backoff doubles, is capped, and jitter scales it between half and all")
    func backoff() {
        let policy = RetryPolicy(maxAttempts: 5, initialDelay: .seconds(1), maxDelay: .seconds(5))
        #expect(policy.delay(afterAttempt: 1, unit: 1) == .seconds(1))
        #expect(policy.delay(afterAttempt: 3, unit: 1) == .seconds(4))
        #expect(policy.delay(afterAttempt: 6, unit: 1) == .seconds(5))
        #expect(policy.delay(afterAttempt: 3, unit: 0) == .seconds(2))
    }
}

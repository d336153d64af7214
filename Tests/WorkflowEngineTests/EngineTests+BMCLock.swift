import Foundation
import Logging
import Store
import Synchronization
import Testing

@testable import WorkflowEngine

/// A gate a step waits at until the test opens it, and that says when the step reached it.
final class Gate: Sendable {
    private let reached: AsyncStream<Void>.Continuation
    private let reachedStream: AsyncStream<Void>
    private let opened = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let isOpen = Mutex(false)

    init() {
        (reachedStream, reached) = AsyncStream.makeStream(of: Void.self)
    }

    /// Called by the step: says it arrived, then waits for `open()`.
    func pass() async {
        reached.yield()
        await withCheckedContinuation { continuation in
            let already = isOpen.withLock { $0 }
            if already { continuation.resume() } else { opened.withLock { $0 = continuation } }
        }
    }

    /// Waits until the step has arrived.
    func arrival() async {
        var iterator = reachedStream.makeAsyncIterator()
        _ = await iterator.next()
    }

    /// Lets the step through.
    func open() {
        isOpen.withLock { $0 = true }
        opened.withLock { $0?.resume() }
    }
}

extension EngineTests {
    func changing(_ tally: Tally, gate: Gate? = nil) -> WorkflowDefinition {
        WorkflowDefinition(
            name: "change", version: 1, summary: "",
            steps: [
                StepDefinition("patch", idempotent: true, mutating: true) { _ in
                    await tally.enter()
                    await tally.ran("patch")
                    if let gate { await gate.pass() }
                    await tally.leave()
                    return .done(output: "{}")
                }
            ],
            permitKeys: { PermitKeys(bmc: $0.input["bmc"]) })
    }

    @Test("two processes, one BMC: the second's mutating step waits for the first's lock, then runs; never both")
    func bmcLockAcrossProcesses() async throws {
        let store = makeStore()
        let tally = Tally()
        let gate = Gate()
        let first = makeEngine(store, [changing(tally, gate: gate)], owner: "alpha:1")
        let second = makeEngine(store, [changing(tally)], owner: "beta:2")
        let a = try await first.create(definition: "change", serverID: "S1", input: ["bmc": "https://bmc-1:443"])
        let b = try await second.create(definition: "change", serverID: "S2", input: ["bmc": "https://bmc-1:443"])
        async let firstDone = first.run([a.id])
        await gate.arrival()
        #expect(try await store.bmcLocks().map(\.holder) == ["alpha:1"])
        var events = second.subscribe().makeAsyncIterator()
        async let secondDone = second.run([b.id])
        // The second waits, says for whom, and does not run its step while the first holds the BMC.
        while let event = await events.next() {
            if event.kind == .stepProgress, event.message.hasPrefix("waiting for BMC https://bmc-1:443") { break }
        }
        #expect(await tally.runs["patch"] == 1)
        gate.open()
        #expect(await firstDone.map(\.state) == [.succeeded])
        #expect(await secondDone.map(\.state) == [.succeeded])
        #expect(await tally.runs["patch"] == 2)
        #expect(await tally.maxActive == 1)
        #expect(try await store.bmcLocks().isEmpty)
    }

    @Test("a BMC lock whose holder lapsed is taken over after its expiry; one held by a dead process at once")
    func bmcLockTakeover() async throws {
        let store = makeStore()
        let tally = Tally()
        let clock = TestClock()
        let engine = makeEngine(store, [changing(tally)], clock: clock, owner: "gamma:3")
        let start = clock.now()
        let stale = try #require(
            try await store.acquireBMCLock(
                key: "https://bmc-2:443", holder: "elsewhere:7", workflowID: "old", step: "patch", gone: [],
                at: start, expiresAt: start.addingTimeInterval(30)))
        let run = try await engine.create(definition: "change", serverID: "S1", input: ["bmc": "https://bmc-2:443"])
        #expect(await engine.run([run.id]).map(\.state) == [.succeeded])
        // It polled (1 s a time on the test clock) until the lapsed lock could be taken.
        #expect(clock.slept.count >= 30)
        #expect(await tally.runs["patch"] == 1)
        #expect(try await store.releaseBMCLock(stale) == false)

        let dead = "\(ProcessInfo.processInfo.hostName):4194303"
        let before = clock.slept.count
        _ = try #require(
            try await store.acquireBMCLock(
                key: "https://bmc-3:443", holder: dead, workflowID: "old", step: "patch", gone: [],
                at: clock.now(), expiresAt: clock.now().addingTimeInterval(3600)))
        let next = try await engine.create(definition: "change", serverID: "S2", input: ["bmc": "https://bmc-3:443"])
        #expect(await engine.run([next.id]).map(\.state) == [.succeeded])
        #expect(clock.slept.count == before, "a dead holder's lock is taken without waiting")
    }
}

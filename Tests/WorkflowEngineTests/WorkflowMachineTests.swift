import Foundation
import Testing

@testable import WorkflowEngine

/// The state machine alone: every transition, what it writes and what `next()` says after it.
@Suite("Workflow machine")
struct WorkflowMachineTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func machine(steps: Int = 3, state: RunState = .pending, owner: String? = "host:1") -> WorkflowMachine {
        let workflow = WorkflowRecord(
            id: "wf", definition: "d", version: 1, serverID: "S1", state: state, input: #"{"bmc":"10.0.0.5"}"#,
            owner: owner, created: t0, updated: t0)
        return WorkflowMachine(
            workflow: workflow,
            steps: (0..<steps).reversed().map { StepRecord(workflowID: "wf", index: $0, name: "s\($0)") })
    }

    @Test("a new run starts at its first step; steps are kept in definition order")
    func fresh() {
        let m = machine()
        #expect(m.steps.map(\.name) == ["s0", "s1", "s2"])
        #expect(m.next() == .run(index: 0, inFlight: false))
    }

    @Test("start: the step runs with attempt 1, the run is running, the event says so")
    func start() {
        var m = machine()
        let t = m.start(0, at: t0.addingTimeInterval(1))
        #expect(t.workflow?.state == .running)
        #expect(t.step?.state == .running)
        #expect(t.step?.attempt == 1)
        #expect(t.step?.started == t0.addingTimeInterval(1))
        #expect(t.event.kind == .stepStarted)
        #expect(t.event.message == "attempt 1")
        // A step found running is in flight (its process died mid-step).
        #expect(m.next() == .run(index: 0, inFlight: true))
    }

    @Test("succeed keeps the output, moves on; checked says it was found done")
    func succeed() {
        var m = machine()
        _ = m.start(0, at: t0)
        let t = m.succeed(0, output: #"{"x":1}"#, at: t0)
        #expect(t.step?.state == .succeeded)
        #expect(t.step?.output == #"{"x":1}"#)
        #expect(t.event.kind == .stepSucceeded)
        #expect(t.event.message == "done")
        #expect(m.outputs == ["s0": #"{"x":1}"#])
        #expect(m.next() == .run(index: 1, inFlight: false))
        _ = m.start(1, at: t0)
        #expect(m.succeed(1, output: "{}", at: t0, checked: true).event.message.contains("interrupted"))
    }

    @Test("skip records the reason, keeps no output, and the run goes on past it")
    func skip() {
        var m = machine()
        _ = m.start(0, at: t0)
        let t = m.skip(0, reason: "dry run", at: t0)
        #expect(t.step?.state == .skipped)
        #expect(t.step?.output == nil)
        #expect(t.step?.error == "dry run")
        #expect(t.event.kind == .stepSkipped)
        #expect(m.next() == .run(index: 1, inFlight: false))
    }

    @Test("retry puts the step back to pending with the error; the next start is attempt 2")
    func retry() {
        var m = machine()
        _ = m.start(0, at: t0)
        let t = m.retry(0, error: "503", delay: .seconds(2), at: t0)
        #expect(t.step?.state == .pending)
        #expect(t.step?.error == "503")
        #expect(t.event.kind == .stepRetry)
        #expect(t.event.message == "503; retrying in 2.0 seconds")
        #expect(m.next() == .run(index: 0, inFlight: false))
        #expect(m.start(0, at: t0).step?.attempt == 2)
        #expect(m.steps[0].error == nil)
    }

    @Test("fail, wait and cancel stop the run, name the step in the reason, and release the owner")
    func stops() {
        let cases: [(RunState, StepState, EventKind)] = [
            (.failed, .failed, .stepFailed), (.waiting, .waiting, .workflowWaiting),
            (.cancelled, .cancelled, .workflowCancelled),
        ]
        for (run, step, kind) in cases {
            var m = machine()
            _ = m.start(1, at: t0)
            let t =
                switch run {
                case .failed: m.fail(1, error: "boom", at: t0)
                case .waiting: m.wait(1, reason: "boom", at: t0)
                default: m.cancel(1, reason: "boom", at: t0)
                }
            #expect(t.workflow?.state == run)
            #expect(t.workflow?.reason == "s1: boom")
            #expect(t.workflow?.owner == nil)
            #expect(t.step?.state == step)
            #expect(t.step?.error == "boom")
            #expect(t.event.kind == kind)
            #expect(m.next() == .stopped(state: run))
        }
    }

    @Test("stopping at a step that already ended leaves that step as it was")
    func stopAfterDone() {
        var m = machine()
        _ = m.start(0, at: t0)
        _ = m.succeed(0, output: "{}", at: t0)
        let t = m.cancel(0, reason: "cancelled by an operator", at: t0)
        #expect(t.step?.state == .succeeded)
        #expect(t.workflow?.state == .cancelled)
    }

    @Test("finish: every step done, the run succeeds without a reason or owner")
    func finish() {
        var m = machine(steps: 2)
        for index in 0..<2 {
            _ = m.start(index, at: t0)
            _ = index == 0 ? m.succeed(index, output: "{}", at: t0) : m.skip(index, reason: "n/a", at: t0)
        }
        #expect(m.next() == .finished)
        let t = m.finish(at: t0.addingTimeInterval(9))
        #expect(t.workflow?.state == .succeeded)
        #expect(t.workflow?.owner == nil)
        #expect(t.workflow?.reason == nil)
        #expect(t.step == nil)
        #expect(t.event.kind == .workflowSucceeded)
        #expect(m.next() == .stopped(state: .succeeded))
    }

    @Test("reopen: a stopped run is pending again from its stopped step, input merged, cancel request cleared")
    func reopen() {
        for stop in [RunState.failed, .waiting, .cancelled] {
            var m = machine()
            _ = m.start(0, at: t0)
            _ = m.succeed(0, output: "{}", at: t0)
            _ = m.start(1, at: t0)
            _ =
                switch stop {
                case .failed: m.fail(1, error: "x", at: t0)
                case .waiting: m.wait(1, reason: "x", at: t0)
                default: m.cancel(1, reason: "x", at: t0)
                }
            var stored = m.workflow
            stored.cancelRequested = true
            m = WorkflowMachine(workflow: stored, steps: m.steps)
            let t = m.reopen(input: ["device_type": "s2.c2.small"], at: t0)
            #expect(t.workflow?.state == .pending)
            #expect(t.workflow?.reason == nil)
            #expect(t.workflow?.cancelRequested == false)
            #expect(
                WorkflowMachine.input(t.workflow?.input ?? "") == ["bmc": "10.0.0.5", "device_type": "s2.c2.small"])
            #expect(t.step?.index == 1)
            #expect(t.step?.state == .pending)
            #expect(t.event.kind == .workflowResumed)
            #expect(t.event.message == "resumed with device_type=s2.c2.small")
            #expect(m.next() == .run(index: 1, inFlight: false))
        }
    }

    @Test("every transition stamps the run's update time with the clock it is given")
    func updated() {
        var m = machine()
        let at = t0.addingTimeInterval(42)
        #expect(m.start(0, at: at).workflow?.updated == at)
        #expect(m.succeed(0, output: "{}", at: at).event.at == at)
    }

    @Test("state helpers: terminal, stopped, runnable, reopenable, done, stopping")
    func helpers() {
        #expect(RunState.allCases.filter(\.isTerminal) == [.succeeded, .failed, .cancelled])
        #expect(RunState.allCases.filter(\.isStopped) == [.waiting, .succeeded, .failed, .cancelled])
        #expect(RunState.allCases.filter(\.isRunnable) == [.pending, .running])
        #expect(RunState.allCases.filter(\.isReopenable) == [.waiting, .failed, .cancelled])
        #expect(StepState.allCases.filter(\.isDone) == [.succeeded, .skipped])
        #expect(StepState.allCases.filter(\.isStopping) == [.failed, .cancelled, .waiting])
        #expect(EventKind.allCases.filter(\.stopsRun).count == 4)
        #expect(EventKind(rawValue: "step.started") == .stepStarted)
    }
}

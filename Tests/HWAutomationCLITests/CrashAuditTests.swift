import Foundation
import Testing
import WorkflowEngine

@testable import HWAutomationCLI

/// The crash campaign's event checks on hand-made event logs: a clean log passes, each kind of gap is named.
@Suite("bench crash: event audit")
struct CrashAuditTests {
    static let definition = WorkflowDefinition(
        name: "w", version: 1, summary: "",
        steps: ["read", "change", "record"].map { name in
            StepDefinition(name, idempotent: name != "change", mutating: name == "change") { _ in
                .skipped(reason: "test")
            }
        })

    /// A run's log from `(step, kind)` pairs, seq 1…, a second apart.
    static func log(_ entries: [(String?, EventKind)], run: String = "r") -> [EventRecord] {
        entries.enumerated().map { index, entry in
            EventRecord(
                seq: Int64(index + 1), workflowID: run, step: entry.0, kind: entry.1, message: "",
                at: Date(timeIntervalSince1970: Double(index)))
        }
    }

    static func steps(_ state: StepState) -> [StepRecord] {
        definition.steps.enumerated().map {
            StepRecord(workflowID: "r", index: $0.offset, name: $0.element.name, state: state)
        }
    }

    static func problems(_ events: [EventRecord], state: RunState = .succeeded, steps: StepState = .succeeded)
        -> [String]
    {
        CrashAudit.eventProblems(
            run: WorkflowRecord(id: "r", definition: "w", version: 1, serverID: "s", state: state),
            steps: Self.steps(steps), events: events, definition: definition)
    }

    /// A run whose driver died in `change` and whose next driver checked it and ran it again.
    static let resumed: [(String?, EventKind)] = [
        (nil, .workflowCreated), ("read", .stepStarted), ("read", .stepSucceeded), ("change", .stepStarted),
        ("change", .stepProgress), ("change", .stepChecked), ("change", .stepStarted), ("change", .stepSucceeded),
        ("record", .stepStarted), ("record", .stepRetry), ("record", .stepStarted), ("record", .stepSucceeded),
        (nil, .workflowSucceeded),
    ]

    @Test("a log with a crash, a check and a retry in it has no gap")
    func clean() {
        #expect(Self.problems(Self.log(Self.resumed)) == [])
    }

    @Test("a step that ends without a start, or starts before the one before it is done, is a gap")
    func missingStart() {
        var entries = Self.resumed
        entries.remove(at: 3)  // change: step.started (the crashed attempt's)
        entries.remove(at: 3)  // change: step.progress
        let found = Self.problems(Self.log(entries))
        #expect(found.count == 1)
        #expect(found.first?.contains("step.checked of change") == true, "\(found)")
        var skipped = Self.resumed
        skipped.remove(at: 7)  // change: step.succeeded
        let early = Self.problems(Self.log(skipped))
        #expect(early.contains { $0.contains("record started (seq 8) before change was done") }, "\(early)")
        #expect(early.contains { $0.contains("without change done") }, "\(early)")
    }

    @Test("a run stored as succeeded without its ending event, or with a step not done, is a gap")
    func missingEnd() {
        let found = Self.problems(Self.log(Array(Self.resumed.dropLast())))
        #expect(found == ["the run is succeeded but its last event is step.succeeded"])
        let pending = Self.problems(Self.log(Self.resumed), steps: .pending)
        #expect(pending.count == 3)
        #expect(pending.allSatisfy { $0.contains("is pending") })
    }

    @Test("an event after the run ended, or out of order, is a gap")
    func afterEnd() {
        var events = Self.log(Self.resumed + [("record", .stepProgress)])
        #expect(Self.problems(events).contains { $0.contains("after the run ended with workflow.succeeded") })
        events.swapAt(1, 2)
        #expect(Self.problems(events).contains { $0.contains("out of order") })
    }

    @Test("mutating attempts span step.started to their end, or to the next event of another attempt or step")
    func intervals() {
        let spans = CrashAudit.intervals(run: "r", events: Self.log(Self.resumed), mutating: ["change"])
        #expect(spans.map(\.step) == ["change", "change"])
        // The crashed attempt (seq 4) lasts until the next driver starts it again (seq 7), which ends at seq 8.
        #expect(spans.map(\.start.timeIntervalSince1970) == [3, 6])
        #expect(spans.map(\.end.timeIntervalSince1970) == [6, 7])
    }
}

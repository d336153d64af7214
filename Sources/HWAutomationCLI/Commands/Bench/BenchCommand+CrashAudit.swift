import BIOS
import Firmware
import Foundation
import Inventory
import Lab
import Orchestration
import Redfish
import Store
import WorkflowEngine

/// The checking half of `bench crash`: after a batch ends, each run's stored steps and events against the lab's
/// own counters and state.
struct CrashAudit: Sendable {
    /// A run that failed, and why.
    struct Failure: Encodable, Sendable {
        var server: String
        var definition: String
        var run: String
        var reason: String
    }

    /// What one batch (or the campaign) came to.
    struct Figures: Encodable, Sendable {
        var runs = 0
        var succeeded = 0
        var failed = 0
        var waiting = 0
        var unfinished = 0
        var duplicatePatches = 0
        var duplicateResets = 0
        var duplicateFlashes = 0
        var duplicateBMCChanges = 0
        var lostEvents = 0
        var wrongFinalState = 0
        /// Sessions left open on the BMCs (by killed workers, or logins whose answer was lost).
        var leakedSessions = 0
        var failures: [Failure] = []
        /// One line per duplicate, lost event or wrong state: the server, the run and what shows it.
        var findings: [String] = []

        /// Whether any duplicate, lost or wrong figure is non-zero, or a run did not end.
        var isClean: Bool {
            duplicatePatches + duplicateResets + duplicateFlashes + duplicateBMCChanges + lostEvents
                + wrongFinalState + unfinished + waiting == 0
        }

        static func + (lhs: Figures, rhs: Figures) -> Figures {
            var sum = lhs
            sum.runs += rhs.runs
            sum.succeeded += rhs.succeeded
            sum.failed += rhs.failed
            sum.waiting += rhs.waiting
            sum.unfinished += rhs.unfinished
            sum.duplicatePatches += rhs.duplicatePatches
            sum.duplicateResets += rhs.duplicateResets
            sum.duplicateFlashes += rhs.duplicateFlashes
            sum.duplicateBMCChanges += rhs.duplicateBMCChanges
            sum.lostEvents += rhs.lostEvents
            sum.wrongFinalState += rhs.wrongFinalState
            sum.leakedSessions = rhs.leakedSessions
            sum.failures += rhs.failures
            sum.findings += rhs.findings
            return sum
        }
    }

    /// One attempt of a mutating step on a BMC, from its `step.started` to its end (or to the run's next event,
    /// when its driver died).
    struct Interval {
        var run: String
        var step: String
        var start: Date
        var end: Date
    }

    let store: any Store
    let lab: Lab
    /// The lab's login, to read its BMCs the way a client does.
    let user: String
    let password: String

    /// Audits the runs of `batch`, all of `definition`, over lab nodes `nodes` (server id → node index), with each
    /// node's counters before the batch started.
    func audit(
        batch: String, definition: WorkflowDefinition, nodes: [String: Int], before: [SimulatedBMC.Counters]
    ) async throws -> Figures {
        var figures = Figures()
        var intervals: [Int: [Interval]] = [:]
        let runs = try await store.workflows(WorkflowFilter(batch: batch, limit: Int.max))
        let mutating = Set(definition.steps.filter(\.mutating).map(\.name))
        for run in runs.sorted(by: { $0.serverID < $1.serverID }) {
            figures.runs += 1
            let label = "\(run.serverID) \(run.definition) (\(run.id))"
            switch run.state {
            case .succeeded: figures.succeeded += 1
            case .failed, .cancelled:
                figures.failed += 1
                figures.failures.append(
                    Failure(server: run.serverID, definition: run.definition, run: run.id, reason: run.reason ?? ""))
            case .waiting:
                figures.waiting += 1
                figures.findings.append("\(label): waits for an operator: \(run.reason ?? "")")
            case .pending, .running:
                figures.unfinished += 1
                figures.findings.append("\(label): still \(run.state) when the campaign ended")
            }
            let steps = try await store.steps(workflowID: run.id)
            let events = try await allEvents(run.id)
            for problem in Self.eventProblems(run: run, steps: steps, events: events, definition: definition) {
                figures.lostEvents += 1
                figures.findings.append("\(label): lost event: \(problem)")
            }
            guard let node = nodes[run.serverID] else { continue }
            intervals[node, default: []] += Self.intervals(run: run.id, events: events, mutating: mutating)
            let counters = lab.nodes[node].withState { $0.counters }
            let was = before[node]
            let plannedBIOS = try Self.output(steps, CommissioningStepKeys.planBIOS)
            let plannedFirmware = try Self.output(steps, CommissioningStepKeys.planFirmware)
            // The lab's own verdicts (`redundant…`, `concurrentChanges`), and the counts beyond what the stored
            // plans allow; per BMC the larger of the two (they see the same duplicates).
            let patches = counters.patches - was.patches
            let allowedPatches = (plannedBIOS?.changes.isEmpty ?? true) ? 0 : 1
            let extraPatches = max(counters.redundantPatches - was.redundantPatches, patches - allowedPatches, 0)
            if extraPatches > 0 {
                figures.duplicatePatches += extraPatches
                figures.findings.append(
                    "\(label): BMC \(node) accepted \(patches) PATCH(es), \(counters.redundantPatches - was.redundantPatches) "
                        + "changing nothing; the BIOS plan allows \(allowedPatches)")
            }
            let resets = counters.resets - was.resets
            let extraResets = max(counters.redundantResets - was.redundantResets, resets - 1, 0)
            if extraResets > 0 {
                figures.duplicateResets += extraResets
                figures.findings.append(
                    "\(label): BMC \(node) was reset \(resets) time(s), \(counters.redundantResets - was.redundantResets) "
                        + "with nothing to apply; a run resets once")
            }
            let flashes = counters.firmwareUpdates - was.firmwareUpdates
            let planned = plannedFirmware?.updates.count ?? 0
            let extraFlashes = max(counters.redundantFlashes - was.redundantFlashes, flashes - planned, 0)
            if extraFlashes > 0 {
                figures.duplicateFlashes += extraFlashes
                figures.findings.append(
                    "\(label): BMC \(node) accepted \(flashes) firmware update(s), "
                        + "\(counters.redundantFlashes - was.redundantFlashes) of a version already there or on its "
                        + "way; the plan has \(planned)")
            }
            let concurrent = counters.concurrentChanges - was.concurrentChanges
            if concurrent > 0 {
                figures.duplicateBMCChanges += concurrent
                figures.findings.append(
                    "\(label): BMC \(node) saw \(concurrent) change(s) arrive while another change or a firmware "
                        + "task was unfinished")
            }
            figures.leakedSessions += lab.nodes[node].withState { $0.liveSessions }
            if run.state == .succeeded {
                for wrong in try await wrongState(
                    node: node, serverID: run.serverID, bios: plannedBIOS, firmware: plannedFirmware)
                {
                    figures.wrongFinalState += 1
                    figures.findings.append("\(label): wrong final state: \(wrong)")
                }
            }
        }
        for (node, attempts) in intervals {
            let sorted = attempts.sorted { $0.start < $1.start }
            for (index, first) in sorted.enumerated() {
                for second in sorted[(index + 1)...] where second.start < first.end {
                    figures.duplicateBMCChanges += 1
                    figures.findings.append(
                        "BMC \(node): \(first.step) of run \(first.run) (\(first.start)–\(first.end)) overlaps "
                            + "\(second.step) of run \(second.run) (from \(second.start))")
                }
            }
        }
        return figures
    }

    /// Every event of run `id`, in order.
    func allEvents(_ id: String) async throws -> [EventRecord] {
        var events: [EventRecord] = []
        while true {
            let page = try await store.events(workflowID: id, after: events.last?.seq ?? 0, limit: 500)
            events += page
            if page.count < 500 { return events }
        }
    }

    /// The stored output of the step `key` names, decoded; nil when it has none.
    static func output<T>(_ steps: [StepRecord], _ key: StepKey<T>) throws -> T? {
        guard let text = steps.first(where: { $0.name == key.name })?.output else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    /// Gaps in a run's events: a step ended (or reported) without a start, a step started before the earlier ones
    /// were done, an event after the run ended, a run stored as ended without its ending event, a succeeded run
    /// with a step not succeeded or skipped.
    static func eventProblems(
        run: WorkflowRecord, steps: [StepRecord], events: [EventRecord], definition: WorkflowDefinition
    ) -> [String] {
        var problems: [String] = []
        let order = Dictionary(
            definition.steps.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
        guard let first = events.first else { return ["the run has no events"] }
        if first.kind != .workflowCreated { problems.append("the first event is \(first.kind), not workflow.created") }
        var open: Set<String> = []
        var done: Set<String> = []
        var ended: EventKind?
        var lastSeq: Int64 = -1
        for event in events {
            let seq = event.seq ?? -1
            if seq <= lastSeq { problems.append("event \(seq) (\(event.kind)) is out of order after \(lastSeq)") }
            lastSeq = seq
            if let stop = ended, event.kind != .workflowResumed {
                problems.append("\(event.kind) \(event.step ?? "") (seq \(seq)) after the run ended with \(stop)")
            }
            let step = event.step ?? ""
            switch event.kind {
            case .workflowCreated:
                if event != first { problems.append("a second workflow.created (seq \(seq))") }
            case .workflowResumed:
                ended = nil
            case .stepStarted:
                let index = order[step] ?? 0
                let missing = definition.steps.prefix(index).map(\.name).filter { !done.contains($0) }
                if !missing.isEmpty {
                    problems.append(
                        "\(step) started (seq \(seq)) before \(missing.joined(separator: ", ")) was done")
                }
                if done.contains(step) { problems.append("\(step) started again (seq \(seq)) after it was done") }
                open = [step]
            case .stepProgress, .stepChecked:
                if !open.contains(step) { problems.append("\(event.kind) of \(step) (seq \(seq)) without a start") }
            case .stepSucceeded, .stepSkipped:
                if !open.contains(step) { problems.append("\(step) ended (seq \(seq), \(event.kind)) without a start") }
                open.remove(step)
                done.insert(step)
            case .stepRetry:
                if !open.contains(step) { problems.append("\(step) retried (seq \(seq)) without a start") }
                open.remove(step)
            case .stepFailed:
                if !open.contains(step) { problems.append("\(step) failed (seq \(seq)) without a start") }
                open.remove(step)
                ended = event.kind
            case .workflowSucceeded:
                let missing = definition.steps.map(\.name).filter { !done.contains($0) }
                if !missing.isEmpty {
                    problems.append(
                        "workflow.succeeded (seq \(seq)) without \(missing.joined(separator: ", ")) done")
                }
                ended = event.kind
            case .workflowWaiting, .workflowCancelled:
                ended = event.kind
            }
        }
        let expected: EventKind? =
            switch run.state {
            case .succeeded: .workflowSucceeded
            case .failed: .stepFailed
            case .waiting: .workflowWaiting
            case .cancelled: .workflowCancelled
            case .pending, .running: nil
            }
        if let expected, ended != expected {
            problems.append("the run is \(run.state) but its last event is \(events.last?.kind.rawValue ?? "none")")
        }
        if run.state == .succeeded {
            for step in steps where !step.state.isDone {
                problems.append("the run succeeded but step \(step.name) is \(step.state)")
            }
        }
        return problems
    }

    /// The attempts of `mutating` steps in a run's events.
    static func intervals(run: String, events: [EventRecord], mutating: Set<String>) -> [Interval] {
        var result: [Interval] = []
        var current: Interval?
        for event in events {
            if var open = current {
                let sameStep = event.step == open.step
                let ends =
                    !sameStep || event.kind == .stepStarted
                    || [.stepSucceeded, .stepSkipped, .stepRetry, .stepFailed].contains(event.kind)
                if ends {
                    open.end = event.at
                    result.append(open)
                    current = nil
                }
            }
            if event.kind == .stepStarted, let step = event.step, mutating.contains(step) {
                current = Interval(run: run, step: step, start: event.at, end: event.at)
            }
        }
        if var open = current, let last = events.last {
            open.end = last.at
            result.append(open)
        }
        return result
    }

    /// Where a succeeded run's server disagrees with what the store says: a planned BIOS value not in the lab's
    /// BIOS, settings still pending, firmware not at the planned version, or the server's stored firmware versions
    /// not the lab's.
    func wrongState(node: Int, serverID: String, bios: BIOSStepOutput?, firmware: FirmwarePlan?) async throws
        -> [String]
    {
        var wrong: [String] = []
        let (attributes, pending) = lab.nodes[node].withState { bmc in
            (
                (bios?.changes ?? []).map { change -> (String, String, String?) in
                    let (name, desired) = Self.desired(change)
                    return (name, desired, bmc.attribute(name)?.string)
                },
                bmc.pendingAttributes.keys.sorted()
            )
        }
        for (name, desired, actual) in attributes where actual != nil && desired != "?" && actual != desired {
            wrong.append("BIOS \(name) is \(actual ?? "?"), planned \(desired)")
        }
        if !pending.isEmpty { wrong.append("BIOS settings still pending: \(pending.joined(separator: ", "))") }
        let running = (bmc: labFirmware(node, "BMC"), bios: labFirmware(node, "BIOS"))
        if labFirmware(node, "BIOS-Staged") != nil { wrong.append("BIOS firmware is still staged, not running") }
        for item in firmware?.updates ?? [] {
            guard let target = item.target else { continue }
            let actual = item.component == .bmc ? running.bmc : running.bios
            if actual.map({ FirmwareVersion($0).isSame(as: target.parsedVersion) }) != true {
                wrong.append("\(item.component.rawValue) firmware is \(actual ?? "?"), planned \(target.version)")
            }
        }
        if firmware != nil, let record = try await store.server(id: serverID), let text = record.inventory,
            let inventory = try? JSONDecoder().decode(Inventory.self, from: Data(text.utf8))
        {
            if let stored = inventory.bmc?.firmware, stored != running.bmc {
                wrong.append("the store says BMC firmware \(stored), the BMC runs \(running.bmc ?? "?")")
            }
            if let stored = inventory.bios.version, stored != running.bios {
                wrong.append("the store says BIOS \(stored), the BMC runs \(running.bios ?? "?")")
            }
        }
        return wrong
    }

    /// `ProcCState: Enabled → Disabled` as the attribute and its planned value.
    static func desired(_ change: String) -> (String, String) {
        let name = change.split(separator: ":", maxSplits: 1).first.map(String.init) ?? change
        let value = change.components(separatedBy: " → ").last ?? ""
        return (name.trimmingCharacters(in: .whitespaces), value.trimmingCharacters(in: .whitespaces))
    }

    /// The version of firmware item `id` (`BMC`, `BIOS`, `BIOS-Staged`) as lab node `node` reports it.
    func labFirmware(_ node: Int, _ id: String) -> String? {
        let login = Data("\(user):\(password)".utf8).base64EncodedString()
        let request = LabRequest(
            method: "GET", path: "/redfish/v1/UpdateService/FirmwareInventory/\(id)",
            headers: ["authorization": "Basic \(login)"])
        let now = lab.clock.now()
        let answer = lab.nodes[node].withState { $0.handle(request, now: now) }
        return answer.status == 200 ? answer.body?["Version"].string : nil
    }
}

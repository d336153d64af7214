import ArgumentParser
import Foundation
import Store
import WorkflowEngine

struct WorkflowListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List workflow runs, newest first.")
    @OptionGroup var store: StoreOptions
    @Option(help: "Only runs in this state (pending, running, waiting, succeeded, failed, cancelled).")
    var state: [String] = []
    @Option(help: "Only this batch.") var batch: String?
    @Option(help: "At most this many.") var limit = 100
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        for text in state where RunState(rawValue: text) == nil {
            throw ValidationError(
                "--state \(text): one of " + RunState.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() async throws {
        let store = try await self.store.open()
        let states = Set(state.compactMap(RunState.init(rawValue:)))
        let records = try await exitingOnError {
            try await store.workflows(WorkflowFilter(states: states, batch: batch, limit: limit))
        }
        var summaries: [WorkflowSummary] = []
        for record in records { summaries.append(try await WorkflowSummary.of(record, store: store)) }
        if json {
            print(try Terminal.json(summaries))
            return
        }
        var table = TextTable(["ID", "WORKFLOW", "SERVER", "TYPE", "STATE", "REASON"])
        for (record, summary) in zip(records, summaries) {
            table.add([
                record.id, record.definition, record.serverID, summary.deviceType ?? "-", record.state.rawValue,
                record.reason ?? "",
            ])
        }
        print(records.isEmpty ? "no workflow runs" : table.render())
    }
}

struct WorkflowShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One run: its steps and outputs.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Workflow id.") var id: String
    @Flag(help: "Print JSON.") var json = false

    struct Shown: Encodable {
        var workflow: WorkflowRecord
        var steps: [StepRecord]
    }

    func run() async throws {
        let store = try await self.store.open()
        guard let record = try await exitingOnError({ try await store.workflow(id: id) }) else {
            throw CommandFailure("no workflow \(id) (`hwautomation workflow list`)")
        }
        let steps = try await exitingOnError { try await store.steps(workflowID: id) }
        if json {
            print(try Terminal.json(Shown(workflow: record, steps: steps)))
            return
        }
        print("\(record.id)  \(record.definition) v\(record.version)  server \(record.serverID)")
        print("state: \(record.state)" + (record.reason.map { " (\($0))" } ?? ""))
        var table = TextTable(["STEP", "STATE", "ATTEMPT", "STARTED", "FINISHED", "NOTE"])
        let format = Date.ISO8601FormatStyle()
        for step in steps {
            table.add([
                step.name, step.state.rawValue, String(step.attempt), step.started.map(format.format) ?? "-",
                step.finished.map(format.format) ?? "-", step.error ?? "",
            ])
        }
        print(table.render())
    }
}

struct WorkflowEventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "A run's events, oldest first; --follow waits for more until it stops.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Workflow id.") var id: String
    @Flag(help: "Keep printing new events until the run finishes, fails, waits or is cancelled.") var follow = false
    @Flag(help: "Print JSON lines.") var json = false

    func run() async throws {
        let store = try await self.store.open()
        guard try await exitingOnError({ try await store.workflow(id: id) }) != nil else {
            throw CommandFailure("no workflow \(id) (`hwautomation workflow list`)")
        }
        var display = ProgressDisplay(json: json, names: [id: id], stepCount: 1)
        var last: Int64 = 0
        let format = Date.ISO8601FormatStyle()
        while true {
            let events = try await exitingOnError {
                try await store.events(workflowID: id, after: last, limit: 1000)
            }
            for event in events {
                last = event.seq ?? last
                if json {
                    display.show(event)
                } else {
                    print(
                        "\(format.format(event.at))  \(event.kind.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0))"
                            + "\(event.step.map { "\($0): " } ?? "")\(event.message)")
                }
            }
            guard follow else { return }
            let state = try await exitingOnError { try await store.workflow(id: id)?.state }
            if events.isEmpty, let state, state.isStopped {
                return
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}

import Foundation
import Store
import WorkflowEngine

/// Shows a workflow event stream: progress bars on a terminal (one per server, then a total), a line per step
/// change otherwise, or the events as JSON lines.
struct ProgressDisplay {
    enum Mode { case bars, lines, json }

    let mode: Mode
    let names: [String: String]  // workflow id → server
    let stepCount: Int
    private var done: [String: Int] = [:]
    private var current: [String: String] = [:]
    private var ended: [String: String] = [:]
    private var drawn = 0
    private let maxRows = 20

    init(json: Bool, names: [String: String], stepCount: Int) {
        mode = json ? .json : (isatty(STDOUT_FILENO) == 1 ? .bars : .lines)
        self.names = names
        self.stepCount = max(1, stepCount)
    }

    mutating func show(_ event: EventRecord) {
        guard names[event.workflowID] != nil else { return }
        switch event.kind {
        case .stepSucceeded, .stepSkipped: done[event.workflowID, default: 0] += 1
        case .stepStarted, .stepProgress, .stepRetry: current[event.workflowID] = event.step
        case .workflowSucceeded: ended[event.workflowID] = "done"
        case .stepFailed: ended[event.workflowID] = "FAILED"
        case .workflowWaiting: ended[event.workflowID] = "needs decision"
        case .workflowCancelled: ended[event.workflowID] = "cancelled"
        case .workflowCreated, .workflowResumed, .stepChecked: break
        }
        switch mode {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            if let data = try? encoder.encode(event) { emit(String(decoding: data, as: UTF8.self)) }
        case .lines:
            guard event.kind != .stepProgress else { return }
            let name = names[event.workflowID] ?? event.workflowID
            emit(
                "\(name): \(event.step.map { "\($0) " } ?? "")\(event.kind.rawValue.split(separator: ".").last ?? "") \(event.message)"
            )
        case .bars:
            draw()
        }
    }

    /// Writes a line now (unbuffered: a reader of a pipe sees each event as it happens).
    private func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private mutating func draw() {
        var rows: [String] = []
        let width = 24
        let ids = names.keys.sorted { names[$0]! < names[$1]! }
        for id in ids.prefix(maxRows) {
            let fraction = Double(done[id, default: 0]) / Double(stepCount)
            let filled = Int(fraction * Double(width))
            let state = ended[id] ?? current[id] ?? "waiting"
            let name = names[id]!.padding(toLength: 22, withPad: " ", startingAt: 0)
            rows.append(
                "\(name) [\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] \(state)"
            )
        }
        if ids.count > maxRows { rows.append("… and \(ids.count - maxRows) more") }
        let total = names.count * stepCount
        let finished = done.values.reduce(0, +)
        let filled = Int(Double(finished) / Double(total) * Double(width))
        rows.append(
            "total".padding(toLength: 22, withPad: " ", startingAt: 0)
                + " [\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] "
                + "\(ended.count)/\(names.count) servers finished")
        var output = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
        for row in rows { output += "\u{1B}[2K" + row + "\n" }
        drawn = rows.count
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}

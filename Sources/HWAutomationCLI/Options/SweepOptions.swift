import ArgumentParser
import Foundation
import Orchestration
import Store
import WorkflowEngine

/// How a read-only sweep over stored servers (drift, boarding validation) reaches their BMCs and who runs it: the
/// TLS choice for every BMC, and whether this process runs the runs or only creates them for workers.
struct SweepOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "TLS for every BMC: verify, insecure, pin, ca:FILE (default: as each server's newest run).",
            valueName: "policy"))
    var tls: String?
    @Flag(help: "Only create the runs, for `hwautomation worker` processes to take.") var enqueue = false

    /// Runs the runs `started` created (one step each), showing progress unless `quiet`, after a header naming
    /// `workflow`; their final records. Nil, after saying so, with `--enqueue`: the workers run them.
    func run(
        _ started: StartedRuns, workflow: String, engine: Engine, concurrency: Int, quiet: Bool
    ) async throws -> [WorkflowRecord]? {
        let ids = started.runs.map(\.id)
        let batch = started.batch.map { ", batch \($0)" } ?? ""
        if enqueue {
            print("\(workflow): \(ids.count) run(s) created\(batch) for the workers")
            return nil
        }
        if !quiet {
            FileHandle.standardOutput.write(
                Data("\(workflow): \(ids.count) server(s)\(batch), \(concurrency) at once\n".utf8))
        }
        let names = Dictionary(uniqueKeysWithValues: started.runs.map { ($0.id, $0.serverID) })
        return try await WorkflowRunner.run(
            engine: engine, ids: ids, names: names, stepCount: 1, json: false, quiet: quiet)
    }
}

import Foundation
import Store
import TestSupport
import Testing
import WorkflowEngine

/// `hwautomation workflow resume ID` of a run a live process drives.
extension WorkflowCommandTests {
    @Test("resume of a run a live process drives is refused, naming the owner; the run is left as it was")
    func resumeRefusesLiveOwner() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-wf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: state) }
        // This test process is the owner: alive, on this host, with a heartbeat whose lease cannot run out while the
        // command starts, however slowly (a loaded machine must not turn the live owner into an expired one).
        let owner = Engine.processOwner()
        let heartbeat = Date().addingTimeInterval(3600)
        do {
            let store = try SQLiteStore(
                path: state.appendingPathComponent("hwautomation.sqlite").path, box: .ephemeral())
            _ = try await store.createWorkflow(
                WorkflowRecord(
                    id: "wf-live", definition: "intelligent-commissioning", version: 1, serverID: "node-1",
                    state: .running, owner: owner, heartbeat: heartbeat),
                steps: [StepRecord(workflowID: "wf-live", index: 0, name: "discover", state: .running, attempt: 1)],
                event: EventRecord(workflowID: "wf-live", kind: .workflowCreated, message: ""))
        }
        let run = try await CLI.run(["workflow", "resume", "wf-live"], environment: ["HWA_STATE_DIR": state.path])
        #expect(run.exitCode == 1)
        #expect(
            run.stderr.contains("workflow wf-live is running under \(owner); cancel it first or wait"),
            "\(run.stdout)\n\(run.stderr)")
        let store = try SQLiteStore(path: state.appendingPathComponent("hwautomation.sqlite").path, box: .ephemeral())
        let after = try #require(try await store.workflow(id: "wf-live"))
        #expect(after.state == .running && after.owner == owner)
        #expect(try await store.steps(workflowID: "wf-live").first?.attempt == 1)
    }
}

import Foundation
import Lab
import Orchestration
import Redfish
import Store
import TestSupport
import Testing
import WorkflowEngine

/// `hwautomation drift` as an operator runs it: commission two lab servers, check (in sync, exit 0), change a BIOS
/// setting behind the tool's back, check again (drifted, exit 2, the setting and its fate named), remediate as a
/// dry run and then applied, and check a third time (in sync).
@Suite("hwautomation drift")
struct DriftCommandTests {
    @Test("commissioned → in sync; a setting changed in setup → drifted (exit 2); remediate --apply → in sync")
    func operatorFlow() async throws {
        try await WorkflowCommandTests.withCommissionedLab(nodes: 2) { lab, environment in
            let state = URL(fileURLWithPath: try #require(environment["HWA_STATE_DIR"]))
            let clean = try await CLI.run(["drift", "--all", "--first-poll", "0.1"], environment: environment)
            #expect(clean.exitCode == 0, "\(clean.stdout)\n\(clean.stderr)")
            #expect(clean.stdout.contains("2 in_sync"), "\(clean.stdout)")

            // Someone sets node-0's first changed setting back to what it was before commissioning.
            let store = try SQLiteStore(
                path: state.appendingPathComponent("hwautomation.sqlite").path,
                box: try SecretBox.keyFile(state.appendingPathComponent("credentials.key").path))
            let run = try #require(try await store.workflows(WorkflowFilter(serverID: "node-0")).last)
            let planned = try #require(
                try await store.steps(workflowID: run.id).output(CommissioningStepKeys.planBIOS))
            let change = try #require(planned.changes.first { !$0.contains(" → true") && !$0.contains(" → false") })
            let attribute = String(try #require(change.split(separator: ":").first))
            let before = String(
                try #require(change.split(separator: ":", maxSplits: 1).last?.split(separator: "→").first)
            ).trimmingCharacters(in: .whitespaces)
            let value: JSONValue =
                if case .number = lab.nodes[0].withState({ $0.attribute(attribute) }), let number = Double(before) {
                    .number(number)
                } else {
                    .string(before)
                }
            #expect(
                lab.nodes[0].withState { $0.changeInSetup(attribute, to: value) },
                "\(attribute) is a BIOS attribute of node-0")

            let drifted = try await CLI.run(
                ["drift", "--all", "--json", "--first-poll", "0.1"], environment: environment)
            #expect(drifted.exitCode == 2, "\(drifted.stdout)\n\(drifted.stderr)")
            let report = try #require(try CLI.json(drifted.stdout) as? [String: Any])
            let servers = try #require(report["servers"] as? [[String: Any]])
            let node0 = try #require(servers.first { $0["server_id"] as? String == "node-0" })
            #expect(node0["state"] as? String == "drifted" && node0["bios_drift"] as? Int == 1)
            let setting = try #require(
                (node0["settings"] as? [[String: Any]])?.first { $0["fate"] as? String == "change" })
            #expect(setting["attribute"] as? String == attribute && setting["current"] as? String == before)
            #expect(servers.first { $0["server_id"] as? String == "node-1" }?["state"] as? String == "in_sync")

            let shown = try await CLI.run(["drift", "show", "--server", "node-0"], environment: environment)
            #expect(shown.exitCode == 0 && shown.stdout.contains("\(attribute): \(before) → "), "\(shown.stdout)")
            #expect(shown.stdout.contains("in_sync"), "the history keeps the first check")

            let dry = try await CLI.run(
                ["drift", "remediate", "--all", "--first-poll", "0.1"], environment: environment)
            #expect(
                dry.exitCode == 0 && dry.stdout.contains("(dry run): 1 drifted server(s)"),
                "\(dry.stdout)\n\(dry.stderr)")
            #expect(lab.nodes[0].withState { $0.attribute(attribute) } == value, "a dry run changes nothing")
            let resetsBefore = lab.nodes[0].withState { $0.counters.resets }
            let applied = try await CLI.run(
                ["drift", "remediate", "--server", "node-0", "--apply", "--first-poll", "0.1"], environment: environment
            )
            #expect(applied.exitCode == 0, "\(applied.stdout)\n\(applied.stderr)")
            #expect(lab.nodes[0].withState { $0.counters.resets } == resetsBefore + 1, "one reset to remediate")

            let again = try await CLI.run(
                ["drift", "--server", "node-0", "--first-poll", "0.1"], environment: environment)
            #expect(again.exitCode == 0 && again.stdout.contains("1 in_sync"), "\(again.stdout)\n\(again.stderr)")
        }
    }
}

/// `hwautomation firmware rollout` as an operator runs it: a dry run in two waves over stored lab servers, shown and
/// listed.
@Suite("hwautomation firmware rollout")
struct RolloutCommandTests {
    @Test("a dry-run rollout in two waves ends with every wave done and nothing flashed; show and list")
    func dryRun() async throws {
        let password = "lab-\(UInt32.random(in: 0...UInt32.max))"
        let lab = try WorkflowCommandTests.lab(nodes: 2, post: 0.1, password: password)
        try await lab.withServer { port in
            let (state, _) = try await WorkflowCommandTests.prepare(port: port, nodes: 2, password: password)
            defer { try? FileManager.default.removeItem(at: state) }
            let environment = ["HWA_STATE_DIR": state.path, "HWA_CONFIG_DIR": ""]
            for index in 0..<2 {
                let added = try await CLI.run(
                    [
                        "servers", "add", "node-\(index)", "--bmc",
                        Lab.baseURL(port: port, index: index).absoluteString,
                        "--credential", "lab",
                    ], environment: environment)
                #expect(added.exitCode == 0, "\(added.stderr)")
            }
            let run = try await CLI.run(
                [
                    "firmware", "rollout", "--all", "--waves", "1,100%", "--dry-run", "--json", "--firmware-dir",
                    state.appendingPathComponent("firmware").path,
                ], environment: environment)
            #expect(run.exitCode == 0, "\(run.stdout)\n\(run.stderr)")
            let view = try #require(try CLI.json(run.stdout) as? [String: Any])
            #expect(view["state"] as? String == "succeeded" && view["dry_run"] as? Bool == true)
            let waves = try #require(view["waves"] as? [[String: Any]])
            #expect(waves.map { $0["servers"] as? [String] ?? [] } == [["node-0"], ["node-1"]])
            #expect(waves.allSatisfy { $0["state"] as? String == "done" && ($0["skipped"] as? [String])?.count == 1 })
            #expect(lab.nodes.allSatisfy { $0.withState { $0.counters.firmwareUpdates } == 0 })
            let id = try #require(view["id"] as? String)
            let shown = try await CLI.run(["firmware", "rollout", "show", id], environment: environment)
            #expect(
                shown.stdout.contains("rollout \(id): succeeded") && shown.stdout.contains("dry run"), "\(shown.stdout)"
            )
            let listed = try await CLI.run(["firmware", "rollout", "list"], environment: environment)
            #expect(listed.stdout.contains(id) && listed.stdout.contains("1:done 2:done"), "\(listed.stdout)")
        }
    }
}

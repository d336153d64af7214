import Foundation
import Orchestration
import Store
import WorkflowEngine

/// How the drift commands print records.
enum DriftText {
    /// The record each finished `drift-check` run stored; a run that stored none (it failed before reading the BMC,
    /// or was cancelled) is shown as unreachable with the run's reason, and stored as nothing.
    static func records(for runs: [WorkflowRecord], store: any Store) async throws -> [DriftRecord] {
        var records: [DriftRecord] = []
        for run in runs {
            let newest = try await store.driftHistory(serverID: run.serverID, limit: 5).first {
                $0.workflowID == run.id
            }
            records.append(
                newest
                    ?? DriftRecord(
                        serverID: run.serverID, checkedAt: run.updated, deviceType: nil, state: .unreachable,
                        error: "the check \(run.id) \(run.state.rawValue)" + (run.reason.map { ": \($0)" } ?? ""),
                        workflowID: run.id))
        }
        return records.sorted { $0.serverID < $1.serverID }
    }

    /// A line per server, then what differs on each drifted one.
    static func table(_ records: [DriftRecord]) -> String {
        var table = TextTable(["SERVER", "TYPE", "STATE", "BIOS", "FIRMWARE", "CHECKED", "NOTE"])
        for record in records {
            table.add([
                record.serverID, record.deviceType ?? "-", record.state.rawValue, String(record.biosDrift),
                record.firmwareChecked ? String(record.firmwareDrift) : "-", iso(record.checkedAt),
                record.error ?? "",
            ])
        }
        var lines = [table.render()]
        for record in records where record.state == .drifted {
            lines.append("")
            lines.append(record.serverID + " (\(record.deviceType ?? "-")):")
            lines += details(record)
        }
        var counts: [String: Int] = [:]
        for record in records { counts[record.state.rawValue, default: 0] += 1 }
        lines.append("")
        lines.append(counts.keys.sorted().map { "\(counts[$0]!) \($0)" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    /// One server's checks, newest first, each with what differed.
    static func history(_ records: [DriftRecord]) -> String {
        var lines: [String] = []
        for record in records {
            lines.append(
                "\(iso(record.checkedAt))  \(record.state.rawValue)  BIOS \(record.biosDrift), firmware "
                    + (record.firmwareChecked ? String(record.firmwareDrift) : "not compared")
                    + (record.workflowID.map { "  (\($0))" } ?? "") + (record.error.map { "  \($0)" } ?? ""))
            lines += details(record)
        }
        return lines.joined(separator: "\n")
    }

    static func details(_ record: DriftRecord) -> [String] {
        record.settings.map { setting in
            "  \(setting.attribute ?? setting.setting): \(setting.current ?? "?") → \(setting.desired ?? "?")  "
                + setting.fate + (setting.reason.map { " (\($0))" } ?? "")
        }
            + record.firmware.map {
                "  firmware \($0.component): \($0.current ?? "?") → \($0.target ?? "?")  \($0.decision) (\($0.reason))"
            }
    }

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }
}

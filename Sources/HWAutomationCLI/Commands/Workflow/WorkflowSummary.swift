import Foundation
import Orchestration
import Store
import WorkflowEngine

/// One line per workflow run: what the server turned out to be and what happened.
struct WorkflowSummary: Codable {
    var workflow: String
    var server: String
    var deviceType: String?
    var confidence: String?
    var biosChanges: Int?
    var maas: String?
    var seconds: Double
    var state: String
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case workflow, server
        case deviceType = "device_type"
        case confidence
        case biosChanges = "bios_changes"
        case maas, seconds, state, reason
    }

    static func of(_ record: WorkflowRecord, store: any Store) async throws -> WorkflowSummary {
        let steps = try await store.steps(workflowID: record.id)
        let classified = steps.output(CommissioningStepKeys.classify)
        let applied = steps.output(CommissioningStepKeys.planBIOS)
        let commissioned = steps.output(CommissioningStepKeys.commission) ?? steps.output(CommissioningStepKeys.tag)
        let server = try await store.server(id: record.serverID)
        return WorkflowSummary(
            workflow: record.id, server: record.serverID, deviceType: classified?.deviceType ?? server?.deviceType,
            confidence: classified?.confidence ?? server?.confidence, biosChanges: applied?.changes.count,
            maas: commissioned.map { "\($0.status) (\($0.tags.count) tags)" },
            seconds: record.updated.timeIntervalSince(record.created), state: record.state.rawValue,
            reason: record.reason)
    }

    /// A reason without the advice that follows it (the full text is in `workflow show`).
    static func short(_ reason: String) -> String {
        String(reason.split(separator: "; resume with", maxSplits: 1).first ?? Substring(reason))
    }

    static func table(_ records: [WorkflowRecord], store: any Store) async throws -> String {
        var table = TextTable(["SERVER", "TYPE", "CONFIDENCE", "BIOS CHANGES", "MAAS", "TIME", "RESULT"])
        var counts: [String: Int] = [:]
        for record in records {
            let summary = try await of(record, store: store)
            counts[record.state.rawValue, default: 0] += 1
            table.add([
                summary.server, summary.deviceType ?? "-", summary.confidence ?? "-",
                summary.biosChanges.map(String.init) ?? "-", summary.maas ?? "-",
                String(format: "%.1fs", summary.seconds),
                summary.state + (summary.reason.map { ": " + Self.short($0) } ?? ""),
            ])
        }
        let totals = counts.keys.sorted().map { "\(counts[$0]!) \($0)" }.joined(separator: ", ")
        return table.render() + "\n" + totals
    }
}

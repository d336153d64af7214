import Firmware
import Foundation
import Store
import WorkflowEngine

/// One wave of a firmware rollout as its servers' `firmware-update` runs left it: updated, failed (and which of
/// those were put back on their previous version), skipped (nothing to update, or a dry run), waiting for a
/// decision, or not finished.
public struct RolloutWave: Sendable, Hashable, Codable {
    /// 1 for the canaries.
    public var wave: Int
    /// Its servers.
    public var servers: [String]
    /// Where it stands: `not_started`, `running`, `done`, `halted` (the failure rate passed the threshold and a
    /// person has not said to go on), `went_on` (halted, then resumed by a person).
    public var state: String
    /// Servers whose firmware was updated.
    public var updated: [String]
    /// Servers whose update failed, with why.
    public var failed: [String: String]
    /// Failed servers whose component was put back on its previous version.
    public var rolledBack: [String]
    /// Servers with nothing to update (or a dry run).
    public var skipped: [String]
    /// Servers whose run waits for a decision (unclassified hardware).
    public var waiting: [String]
    /// Servers whose run has not ended.
    public var unfinished: [String]
    /// Failed servers over the wave's servers, in percent.
    public var failureRate: Double
    /// The runs, by server.
    public var runs: [String: String]

    enum CodingKeys: String, CodingKey {
        case wave, servers, state, updated, failed
        case rolledBack = "rolled_back"
        case skipped, waiting, unfinished
        case failureRate = "failure_rate"
        case runs
    }

    /// The wave's result from its runs (`steps` by run id, to tell an update from nothing to update).
    static func from(
        wave: Int, servers: [String], runs: [WorkflowRecord], steps: [String: [StepRecord]], state: String
    ) -> RolloutWave {
        var result = RolloutWave(
            wave: wave, servers: servers, state: state, updated: [], failed: [:], rolledBack: [], skipped: [],
            waiting: [], unfinished: [], failureRate: 0, runs: [:])
        let byServer = Dictionary(runs.map { ($0.serverID, $0) }) { first, _ in first }
        for server in servers {
            guard let run = byServer[server] else {
                result.unfinished.append(server)
                continue
            }
            result.runs[server] = run.id
            switch run.state {
            case .succeeded:
                let update = steps[run.id]?.first { $0.name == CommissioningStepKeys.updateFirmware.name }
                if update?.state == .succeeded { result.updated.append(server) } else { result.skipped.append(server) }
            case .failed, .cancelled:
                let reason = run.reason ?? run.state.rawValue
                result.failed[server] = reason
                // The updater's own words when it put the component back (FirmwareUpdater.rolledBack).
                if reason.contains(FirmwareUpdater.rolledBack) { result.rolledBack.append(server) }
            case .waiting:
                result.waiting.append(server)
            case .pending, .running:
                result.unfinished.append(server)
            }
        }
        result.failureRate = servers.isEmpty ? 0 : 100 * Double(result.failed.count) / Double(servers.count)
        return result
    }
}

import Foundation
import Store
import WorkflowEngine

extension CommissioningInput {
    /// The input of the server's newest run that reached its BMC: how it was reached last (credential, TLS
    /// choice, system), for the runs a sweep, a remediation or a rollout starts on it.
    public static func previous(serverID: String, store: any Store) async throws -> CommissioningInput? {
        for run in try await store.workflows(WorkflowFilter(serverID: serverID, limit: 20)) {
            guard let values = try? JSONDecoder().decode([String: String].self, from: Data(run.input.utf8)),
                let input = try? CommissioningInput(values: values), input.bmc != nil
            else { continue }
            return input
        }
        return nil
    }
}

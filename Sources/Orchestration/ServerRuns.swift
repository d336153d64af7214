import Foundation
import Store
import WorkflowEngine

/// Runs a fleet operation created, one per server, for the caller to run (or for workers to take).
public struct StartedRuns: Sendable {
    /// The batch the runs share (nil for one run).
    public var batch: String?
    /// The runs, one per server.
    public var runs: [WorkflowRecord]
}

/// One run per stored server (a drift sweep, a remediation, a boarding validation): each reaching the BMC as the
/// server's newest run did, created as one batch, and audited.
struct ServerRuns: Sendable {
    let engine: Engine
    let store: any Store

    /// The input of the server's newest run that reached its BMC.
    func previousInput(_ id: String) async throws(ServiceError) -> CommissioningInput? {
        try await ServiceError.storing { try await CommissioningInput.previous(serverID: id, store: store) }
    }

    /// An input reaching `server`'s BMC (and its IPMI) as its newest run did, with its recorded type; `tls`
    /// replaces the TLS choice when given. The MAAS and BMC-network settings of earlier runs are not carried over.
    func reaching(_ server: ServerRecord, tls: String?) async throws(ServiceError) -> CommissioningInput {
        let previous = try await previousInput(server.id)
        var input = CommissioningInput()
        input.bmc = server.bmcAddress
        input.credential = server.credential ?? previous?.credential
        input.tls = tls ?? previous?.tls
        input.system = previous?.system
        input.deviceType = server.deviceType
        input.firmwarePolicy = previous?.firmwarePolicy
        input.ipmiHost = previous?.ipmiHost
        input.ipmiPort = previous?.ipmiPort
        input.ipmiCredential = previous?.ipmiCredential
        return input
    }

    /// Creates a `definition` run per input (a batch named `batchPrefix-…` when there are several) and audits
    /// `action` by `actor`.
    func create(
        _ definition: String, _ inputs: [(String, CommissioningInput)], batchPrefix: String, action: String,
        actor: String
    ) async throws(ServiceError) -> StartedRuns {
        guard !inputs.isEmpty else { throw ServiceError(.invalid, field: .servers, "no server to check") }
        let batch = inputs.count > 1 ? "\(batchPrefix)-" + UUID().uuidString.prefix(8).lowercased() : nil
        var runs: [WorkflowRecord] = []
        for (id, input) in inputs {
            do {
                runs.append(
                    try await engine.create(definition: definition, serverID: id, input: input.values, batch: batch))
            } catch {
                throw ServiceError(.store, "the run for \(id) could not be stored: \(error)")
            }
        }
        let names = inputs.map(\.0)
        try await ServiceError.storing {
            try await store.audit(
                AuditEntry(
                    actor: actor, action: action, target: batch ?? runs[0].id,
                    detail: "\(names.count) server(s): " + names.prefix(20).joined(separator: ",")
                        + (names.count > 20 ? ",…" : "")))
        }
        return StartedRuns(batch: batch, runs: runs)
    }
}

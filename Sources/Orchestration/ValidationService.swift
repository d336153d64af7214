import Catalog
import Foundation
import Redfish
import Store
import WorkflowEngine

/// The boarding-validation operations the CLI and the API share: starting a validation (one `boarding-validation`
/// run per server), a server's newest report, and the servers that need attention with why.
public struct ValidationService: Sendable {
    let store: any Store
    let catalog: Catalog
    let runs: ServerRuns

    /// The service over an engine (its definitions must include `boarding-validation`), a store and the catalog.
    public init(engine: Engine, store: any Store, catalog: Catalog) {
        self.store = store
        self.catalog = catalog
        runs = ServerRuns(engine: engine, store: store)
    }

    /// The stored servers `selection` names, in id order (see `ServerSelection.servers`).
    public func servers(_ selection: ServerSelection) async throws(ServiceError) -> [ServerRecord] {
        try await selection.servers(store: store, catalog: catalog)
    }

    /// Creates one `boarding-validation` run per server (a batch when there are several), each reaching the BMC
    /// (and IPMI) as the server's newest run did, or with `tls` when given; audits `validation.start`. A server
    /// without a recorded device type is refused: there is nothing to judge it against.
    public func start(_ servers: [ServerRecord], tls: String?, actor: String) async throws(ServiceError)
        -> StartedRuns
    {
        if let tls, TLSChoice(tls) == nil {
            throw ServiceError(.invalid, field: .tls, "must be \(TLSChoice.choices)")
        }
        let untyped = servers.filter { $0.deviceType == nil }.map(\.id)
        guard untyped.isEmpty else {
            throw ServiceError(
                .conflict,
                "no device type is recorded for \(untyped.prefix(5).joined(separator: ", "))"
                    + (untyped.count > 5 ? " and \(untyped.count - 5) more" : "")
                    + ": commission them first (validation judges a server against its type)")
        }
        var inputs: [(String, CommissioningInput)] = []
        for server in servers { inputs.append((server.id, try await runs.reaching(server, tls: tls))) }
        return try await runs.create(
            BoardingWorkflows.validation, inputs, batchPrefix: "validate", action: "validation.start", actor: actor)
    }

    /// Server `id`'s newest boarding report (from a `boarding-validation` run or an intelligent commissioning's
    /// `validate` step); not found when it was never validated.
    public func report(_ id: String) async throws(ServiceError) -> BoardingReport {
        guard try await ServiceError.storing({ try await store.server(id: id) }) != nil else {
            throw ServiceError(.notFound, "no stored server \(id) (`hwautomation servers list`)")
        }
        guard let report = try await newest(id) else {
            throw ServiceError(
                .notFound, "\(id) was never validated (`hwautomation validate --server \(id)`)")
        }
        return report
    }

    /// The servers whose status is `needs-attention` (of `deviceType` when given), each with its newest report.
    public func attention(deviceType: String? = nil) async throws(ServiceError) -> [BoardingReport] {
        if let deviceType, catalog.deviceType(named: deviceType) == nil {
            throw ServiceError(.invalid, field: .deviceType, "no device type \(deviceType) in the catalog")
        }
        let servers = try await ServiceError.storing { try await store.servers() }.filter {
            $0.status == BoardingSteps.needsAttention && (deviceType == nil || $0.deviceType == deviceType)
        }
        var reports: [BoardingReport] = []
        for server in servers {
            if let report = try await newest(server.id) { reports.append(report) }
        }
        return reports
    }

    /// The `validate` output of the newest of the server's last runs that has one.
    func newest(_ id: String) async throws(ServiceError) -> BoardingReport? {
        let runs = try await ServiceError.storing {
            try await store.workflows(WorkflowFilter(serverID: id, limit: 50))
        }.filter {
            $0.definition == BoardingWorkflows.validation || $0.definition == CommissioningWorkflows.intelligent
        }
        guard !runs.isEmpty else { return nil }
        let steps = try await ServiceError.storing { try await store.steps(workflowIDs: runs.map(\.id)) }
        for run in runs {
            guard let output = steps[run.id]?.first(where: { $0.name == CommissioningStepKeys.validate.name })?.output
            else { continue }
            do {
                return try BoardingReport(stepOutput: output)
            } catch {
                throw ServiceError(.store, "the validation of run \(run.id) cannot be read: \(error)")
            }
        }
        return nil
    }
}

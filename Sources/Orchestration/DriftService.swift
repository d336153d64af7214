import Catalog
import Foundation
import Redfish
import Store
import WorkflowEngine

/// The drift operations the CLI, the API and `serve --drift-every` share: which servers a sweep covers, starting a
/// sweep (one `drift-check` run per server, as a batch), the report from the newest checks, and remediation (a
/// `device-specific-provisioning` run per drifted server, a dry run unless asked to apply).
public struct DriftService: Sendable {
    let engine: Engine
    let store: any Store
    let catalog: Catalog
    let runs: ServerRuns

    /// The service over an engine (its definitions must include `drift-check`), a store and the catalog.
    public init(engine: Engine, store: any Store, catalog: Catalog) {
        self.engine = engine
        self.store = store
        self.catalog = catalog
        runs = ServerRuns(engine: engine, store: store)
    }

    /// The stored servers `selection` names, in id order (see `ServerSelection.servers`).
    public func servers(_ selection: ServerSelection) async throws(ServiceError) -> [ServerRecord] {
        try await selection.servers(store: store, catalog: catalog)
    }

    /// Creates one `drift-check` run per server (a batch when there are several), each reaching the BMC as the
    /// server's newest run did (its TLS choice and system), or with `tls` when given; audits the sweep.
    public func sweep(_ servers: [ServerRecord], tls: String?, actor: String) async throws(ServiceError) -> StartedRuns
    {
        if let tls, TLSChoice(tls) == nil {
            throw ServiceError(.invalid, field: .tls, "must be \(TLSChoice.choices)")
        }
        var inputs: [(String, CommissioningInput)] = []
        for server in servers { inputs.append((server.id, try await runs.reaching(server, tls: tls))) }
        return try await runs.create(
            DriftWorkflows.check, inputs, batchPrefix: "drift", action: "drift.sweep", actor: actor)
    }

    /// Creates a `device-specific-provisioning` run for each of `servers` whose newest check found drift, as its
    /// recorded type, reaching it as its newest run did; `apply` false makes them dry runs (discover, classify and
    /// plan, nothing changed). The MAAS and BMC-network settings of earlier runs are not carried over: a
    /// remediation changes BIOS settings only.
    public func remediate(_ servers: [ServerRecord], apply: Bool, actor: String) async throws(ServiceError)
        -> StartedRuns
    {
        let latest = try await ServiceError.storing { try await store.latestDrift(deviceType: nil) }
        let drifted = Dictionary(latest.filter { $0.state == .drifted }.map { ($0.serverID, $0) }) { a, _ in a }
        var inputs: [(String, CommissioningInput)] = []
        for server in servers {
            guard let record = drifted[server.id], let type = record.deviceType else { continue }
            let previous = try await runs.previousInput(server.id)
            var input = CommissioningInput()
            input.bmc = server.bmcAddress
            input.credential = server.credential ?? previous?.credential
            input.tls = previous?.tls
            input.system = previous?.system
            input.sshHost = server.sshHost ?? previous?.sshHost
            input.sshPort = previous?.sshPort
            input.sshKey = previous?.sshKey
            input.sshUser = previous?.sshUser
            input.knownHosts = previous?.knownHosts
            input.vendorToolPath = previous?.vendorToolPath
            input.deviceType = type
            input.dryRun = !apply
            inputs.append((server.id, input))
        }
        guard !inputs.isEmpty else {
            throw ServiceError(
                .conflict,
                "none of the \(servers.count) selected server(s) drifted at its newest check "
                    + "(`hwautomation drift` checks them again)")
        }
        return try await runs.create(
            CommissioningWorkflows.deviceSpecific, inputs, batchPrefix: apply ? "remediate" : "remediate-dry",
            action: apply ? "drift.remediate" : "drift.remediate.dry-run", actor: actor)
    }

    /// The newest check of every stored server (of `deviceType` when given), grouped by type.
    public func report(deviceType: String? = nil) async throws(ServiceError) -> DriftReport {
        if let deviceType, catalog.deviceType(named: deviceType) == nil {
            throw ServiceError(.invalid, field: .deviceType, "no device type \(deviceType) in the catalog")
        }
        return DriftReport(
            records: try await ServiceError.storing { try await store.latestDrift(deviceType: deviceType) })
    }

    /// One server's checks, newest first.
    public func history(_ id: String, limit: Int) async throws(ServiceError) -> [DriftRecord] {
        guard try await ServiceError.storing({ try await store.server(id: id) }) != nil else {
            throw ServiceError(.notFound, "no stored server \(id) (`hwautomation servers list`)")
        }
        return try await ServiceError.storing { try await store.driftHistory(serverID: id, limit: limit) }
    }
}

import Catalog
import Foundation
import Redfish
import Store
import WorkflowEngine

/// The drift operations the CLI, the API and `serve --drift-every` share: which servers a sweep covers, starting a
/// sweep (one `drift-check` run per server, as a batch), the report from the newest checks, and remediation (a
/// `device-specific-provisioning` run per drifted server, a dry run unless asked to apply).
public struct DriftService: Sendable {
    /// Runs created by a sweep or a remediation, for the caller to run (or for workers to take).
    public struct Started: Sendable {
        /// The batch the runs share (nil for one run).
        public var batch: String?
        /// The runs, one per server.
        public var runs: [WorkflowRecord]
    }

    let engine: Engine
    let store: any Store
    let catalog: Catalog

    /// The service over an engine (its definitions must include `drift-check`), a store and the catalog.
    public init(engine: Engine, store: any Store, catalog: Catalog) {
        self.engine = engine
        self.store = store
        self.catalog = catalog
    }

    /// The stored servers `selection` names, in id order (see `ServerSelection.servers`).
    public func servers(_ selection: ServerSelection) async throws(ServiceError) -> [ServerRecord] {
        try await selection.servers(store: store, catalog: catalog)
    }

    /// Creates one `drift-check` run per server (a batch when there are several), each reaching the BMC as the
    /// server's newest run did (its TLS choice and system), or with `tls` when given; audits the sweep.
    public func sweep(_ servers: [ServerRecord], tls: String?, actor: String) async throws(ServiceError) -> Started {
        if let tls, TLSChoice(tls) == nil {
            throw ServiceError(.invalid, field: .tls, "must be \(TLSChoice.choices)")
        }
        var inputs: [(String, CommissioningInput)] = []
        for server in servers {
            let previous = try await previousInput(server.id)
            var input = CommissioningInput()
            input.bmc = server.bmcAddress
            input.credential = server.credential ?? previous?.credential
            input.tls = tls ?? previous?.tls
            input.system = previous?.system
            input.deviceType = server.deviceType
            input.firmwarePolicy = previous?.firmwarePolicy
            inputs.append((server.id, input))
        }
        return try await create(DriftWorkflows.check, inputs, batchPrefix: "drift", action: "drift.sweep", actor: actor)
    }

    /// Creates a `device-specific-provisioning` run for each of `servers` whose newest check found drift, as its
    /// recorded type, reaching it as its newest run did; `apply` false makes them dry runs (discover, classify and
    /// plan, nothing changed). The MAAS and BMC-network settings of earlier runs are not carried over: a
    /// remediation changes BIOS settings only.
    public func remediate(_ servers: [ServerRecord], apply: Bool, actor: String) async throws(ServiceError)
        -> Started
    {
        let latest = try await ServiceError.storing { try await store.latestDrift(deviceType: nil) }
        let drifted = Dictionary(latest.filter { $0.state == .drifted }.map { ($0.serverID, $0) }) { a, _ in a }
        var inputs: [(String, CommissioningInput)] = []
        for server in servers {
            guard let record = drifted[server.id], let type = record.deviceType else { continue }
            let previous = try await previousInput(server.id)
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
        return try await create(
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

    // MARK: Helpers

    func previousInput(_ id: String) async throws(ServiceError) -> CommissioningInput? {
        try await ServiceError.storing { try await CommissioningInput.previous(serverID: id, store: store) }
    }

    func create(
        _ definition: String, _ inputs: [(String, CommissioningInput)], batchPrefix: String, action: String,
        actor: String
    ) async throws(ServiceError) -> Started {
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
        return Started(batch: batch, runs: runs)
    }

}

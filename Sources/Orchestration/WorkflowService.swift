import Catalog
import Foundation
import Redfish
import Store
import WorkflowEngine

/// The workflow operations the CLI and the API both offer, with one set of checks: what a start may ask for, and
/// resuming or cancelling a run. The front ends parse their input, call these, and render the answer or the error.
public struct WorkflowService: Sendable {
    private let engine: Engine
    private let store: any Store
    private let catalog: Catalog

    /// Operations over `engine`'s runs in `store`, with device types from `catalog`.
    public init(engine: Engine, store: any Store, catalog: Catalog) {
        self.engine = engine
        self.store = store
        self.catalog = catalog
    }

    /// What a start asks for, checked before any run is created: the workflow exists; a device type is one of the
    /// catalog's (and given for device-specific provisioning); TLS is a known policy; a MAAS region is a URL given
    /// with a stored credential.
    public func checkStart(
        definition: String, deviceType: String?, tls: String?, maasURL: String?, maasCredential: String?
    ) async throws(ServiceError) {
        let names = await engine.definitionNames
        guard names.contains(definition) else {
            throw ServiceError(
                .invalid, field: .definition, "no workflow \(definition); known: \(names.joined(separator: ", "))")
        }
        try checkDeviceType(deviceType)
        if definition == CommissioningWorkflows.deviceSpecific, deviceType == nil {
            throw ServiceError(.invalid, field: .deviceType, "required for \(definition)")
        }
        if let tls, TLSChoice(tls) == nil {
            throw ServiceError(.invalid, field: .tls, "must be \(TLSChoice.choices)")
        }
        if let maasURL, URL(string: maasURL)?.host == nil {
            throw ServiceError(.invalid, field: .maasURL, "must be the MAAS region's URL")
        }
        if (maasURL == nil) != (maasCredential == nil) {
            throw ServiceError(
                .invalid, field: maasURL == nil ? .maasURL : .maasCredential,
                "the MAAS region's URL and its credential go together")
        }
        if let maasCredential {
            let known: [CredentialSummary]
            do {
                known = try await store.credentials()
            } catch {
                throw ServiceError(.store, "the store failed: \(error)")
            }
            guard known.contains(where: { $0.name == maasCredential }) else {
                throw ServiceError(
                    .invalid, field: .maasCredential,
                    "no stored credential \(maasCredential) (`hwautomation credentials set \(maasCredential)`)")
            }
        }
    }

    /// One server a start covers: its id (the server record is created or updated from the input's BMC, credential
    /// and SSH host) and the run's input.
    public struct StartEntry: Sendable {
        /// The server's id.
        public var serverID: String
        /// The run's input.
        public var input: CommissioningInput

        /// An entry.
        public init(serverID: String, input: CommissioningInput) {
            self.serverID = serverID
            self.input = input
        }
    }

    /// Creates one run of `definition` per entry (a batch when there are several), after checking every entry
    /// (nothing is created when one is wrong): a server named once, a BMC address for the BMC workflows, a MAAS
    /// machine for maas-provisioning. Records each server's BMC, credential and SSH host, and audits the start.
    /// `checkStart` comes first.
    public func start(_ definition: String, _ entries: [StartEntry], dryRun: Bool, actor: String)
        async throws(ServiceError) -> (batch: String?, runs: [WorkflowRecord])
    {
        guard !entries.isEmpty else { throw ServiceError(.invalid, field: .servers, "name at least one server") }
        let inputType = await engine.definition(definition)?.inputType
        var seen: Set<String> = []
        for entry in entries {
            if let inputType {
                do {
                    _ = try inputType.init(values: entry.input.values)
                } catch {
                    throw ServiceError(.invalid, field: .servers, "\(entry.serverID): \(error)")
                }
            }
            guard seen.insert(entry.serverID).inserted else {
                throw ServiceError(.invalid, field: .servers, "\(entry.serverID) is named twice")
            }
            if definition == MAASProvisioning.name {
                guard entry.input.maasSystemID != nil else {
                    throw ServiceError(
                        .invalid, field: .servers,
                        "\(entry.serverID) has no MAAS machine (`hwautomation maas sync` links them)")
                }
            } else if entry.input.bmc == nil {
                throw ServiceError(.invalid, field: .servers, "\(entry.serverID) has no BMC address")
            }
        }
        let batch = entries.count > 1 ? "batch-" + UUID().uuidString.prefix(8).lowercased() : nil
        var runs: [WorkflowRecord] = []
        for entry in entries {
            do {
                let stored = try await store.server(id: entry.serverID)
                var record = stored ?? ServerRecord(id: entry.serverID, name: entry.serverID)
                record.bmcAddress = entry.input.bmc ?? record.bmcAddress
                record.credential = entry.input.credential ?? record.credential
                record.sshHost = entry.input.sshHost ?? record.sshHost
                if record != stored {
                    record.updatedAt = Date()
                    try await store.upsertServer(record)
                }
                runs.append(
                    try await engine.create(
                        definition: definition, serverID: entry.serverID, input: entry.input.values, batch: batch))
            } catch {
                throw ServiceError(.store, "the run for \(entry.serverID) could not be stored: \(error)")
            }
        }
        do {
            try await store.audit(
                AuditEntry(
                    actor: actor, action: "workflow.start", target: batch ?? runs[0].id,
                    detail: "\(definition) over " + entries.prefix(20).map(\.serverID).joined(separator: ",")
                        + (entries.count > 20 ? ",… (\(entries.count))" : "") + (dryRun ? " (dry run)" : "")))
        } catch {
            throw ServiceError(.store, "the store failed: \(error)")
        }
        return (batch, runs)
    }

    /// Makes run `id` go on: a waiting, failed or cancelled run is reopened with the operator's decision (a device
    /// type from the catalog, `force`); a pending or running run whose driver is gone is handed back as it is (a
    /// decision is refused for it). Refused: a run another live process drives, a run that succeeded.
    public func resume(_ id: String, deviceType: String?, force: Bool) async throws(ServiceError)
        -> WorkflowRecord
    {
        try checkDeviceType(deviceType)
        let workflow = try await existing(id)
        var decision = CommissioningInput()
        decision.deviceType = deviceType
        decision.force = force
        let input = decision.values
        do {
            // One driver per run: never a second one beside this process's, or beside a live owner elsewhere.
            try await engine.checkNotDriven(workflow)
        } catch {
            throw ServiceError(.conflict, "\(error)")
        }
        switch workflow.state {
        case .waiting, .failed, .cancelled:
            do {
                return try await engine.reopen(workflow.id, input: input)
            } catch let busy as WorkflowBusy {
                throw ServiceError(.conflict, busy.description)
            } catch {
                throw ServiceError(.conflict, "workflow \(id) cannot be resumed: \(error)")
            }
        case .pending, .running:
            guard input.isEmpty else {
                throw ServiceError(
                    .conflict, "workflow \(id) is \(workflow.state): a device type and force are for waiting runs")
            }
            return workflow
        case .succeeded:
            throw ServiceError(.conflict, "workflow \(id) has already \(workflow.state)")
        }
    }

    /// Asks run `id` to stop (its process stops it mid-step; a pending or waiting run stops now); the run as
    /// stored after the request.
    public func cancel(_ id: String) async throws(ServiceError) -> WorkflowRecord {
        let workflow = try await existing(id)
        guard !workflow.state.isTerminal else {
            throw ServiceError(
                .conflict,
                "workflow \(id) has already \(workflow.state == .cancelled ? "been cancelled" : "\(workflow.state)")")
        }
        do {
            try await engine.cancel(id)
        } catch {
            throw ServiceError(.conflict, "workflow \(id) cannot be cancelled: \(error)")
        }
        return try await existing(id)
    }

    private func checkDeviceType(_ name: String?) throws(ServiceError) {
        guard let name, catalog.deviceType(named: name) == nil else { return }
        throw ServiceError(.invalid, field: .deviceType, "no device type \(name) in the catalog")
    }

    private func existing(_ id: String) async throws(ServiceError) -> WorkflowRecord {
        let found: WorkflowRecord?
        do {
            found = try await store.workflow(id: id)
        } catch {
            throw ServiceError(.store, "the store failed: \(error)")
        }
        guard let found else {
            throw ServiceError(.notFound, "no workflow \(id) (`hwautomation workflow list`)")
        }
        return found
    }
}

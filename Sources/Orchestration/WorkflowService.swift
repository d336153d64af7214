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

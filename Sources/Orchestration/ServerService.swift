import Foundation
import Redfish
import Store

/// The server operations the CLI (`servers add/remove`) and the API (`POST/PATCH/DELETE /servers`) both offer, with
/// one set of checks and one audit: what a field may hold, that a named credential is stored and meant for the
/// BMC's address, and who did it.
public struct ServerService: Sendable {
    /// What a save does when the server exists, or does not.
    public enum Mode: Sendable, Hashable {
        /// Create only: a server that exists is a conflict.
        case create
        /// Change only: a server that does not exist is not found.
        case update
        /// Create or change (the CLI's `servers add`).
        case upsert
    }

    private let store: any Store

    /// Operations on the servers in `store`.
    public init(store: any Store) {
        self.store = store
    }

    /// Checks each field `change` gives, the first wrong one named.
    public func validate(_ change: ServerChange) throws(ServiceError) {
        if let id = change.id {
            guard !id.isEmpty, id.count <= 128, id.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
            else { throw ServiceError(.invalid, field: .id, "must be 1 to 128 letters, digits, `-`, `_` or `.`") }
        }
        if let name = change.name, name.isEmpty || name.count > 256 {
            throw ServiceError(.invalid, field: .name, "must be 1 to 256 characters")
        }
        if let bmc = change.bmc {
            // As every client reads it: https:// when no scheme is given, never a user or password in it.
            do {
                _ = try RedfishEndpoint.parseBaseURL(bmc)
            } catch {
                throw ServiceError(.invalid, field: .bmc, error.message)
            }
        }
        if let credential = change.credential, credential.isEmpty {
            throw ServiceError(.invalid, field: .credential, "must not be empty")
        }
        if let sshHost = change.sshHost, sshHost.isEmpty || sshHost.contains(" ") {
            throw ServiceError(.invalid, field: .sshHost, "must be user@host or host")
        }
        if let tags = change.tags, tags.contains(where: { $0.isEmpty || $0.count > 64 }) {
            throw ServiceError(.invalid, field: .tags, "must be 1 to 64 characters each")
        }
    }

    /// Saves `change` to server `id` as `mode` allows, after every check (nothing is written when one fails), and
    /// records it in the audit log under `actor`; the server as stored.
    public func save(_ id: String, _ change: ServerChange, mode: Mode, actor: String) async throws(ServiceError)
        -> ServerRecord
    {
        var checked = change
        // A new server's id follows the rules; one already stored keeps the id it has.
        if mode != .update { checked.id = change.id ?? id }
        try validate(checked)
        if let changed = change.id, changed != id {
            throw ServiceError(.invalid, field: .id, "cannot change (it is \(id))")
        }
        let existing = try await call { try await store.server(id: id) }
        switch (mode, existing) {
        case (.create, .some):
            throw ServiceError(.conflict, "server \(id) exists; change it instead")
        case (.update, .none):
            throw ServiceError(.notFound, "no server \(id) (`hwautomation servers list`)")
        default: break
        }
        var record = existing ?? ServerRecord(id: id, name: change.name ?? id)
        try await checkCredential(change.credential ?? record.credential, bmc: change.bmc ?? record.bmcAddress)
        record.name = change.name ?? record.name
        record.bmcAddress = change.bmc ?? record.bmcAddress
        record.credential = change.credential ?? record.credential
        record.sshHost = change.sshHost ?? record.sshHost
        record.tags = change.tags ?? record.tags
        record.updatedAt = Date()
        let saved = record
        try await call { try await store.upsertServer(saved) }
        try await call {
            try await store.audit(
                AuditEntry(
                    actor: actor, action: existing == nil ? "server.create" : "server.update", target: id,
                    detail: saved.bmcAddress.map { "bmc \($0)" } ?? ""))
        }
        return saved
    }

    /// Forgets server `id` (audited under `actor`).
    public func remove(_ id: String, actor: String) async throws(ServiceError) {
        guard try await call({ try await store.deleteServer(id: id) }) else {
            throw ServiceError(.notFound, "no server \(id) (`hwautomation servers list`)")
        }
        try await call { try await store.audit(AuditEntry(actor: actor, action: "server.delete", target: id)) }
    }

    /// A named credential must be stored, and meant for the BMC's address (refused now, not when a run connects).
    private func checkCredential(_ name: String?, bmc: String?) async throws(ServiceError) {
        guard let name else { return }
        guard let stored = try await call({ try await store.credential(name: name) }) else {
            throw ServiceError(
                .invalid, field: .credential, "no stored credential \(name) (`hwautomation credentials set \(name)`)")
        }
        guard let bmc, let url = try? RedfishEndpoint.parseBaseURL(bmc) else { return }
        do {
            try stored.check(sendingTo: url)
        } catch {
            throw ServiceError(.invalid, field: .credential, "\(error)")
        }
    }

    private func call<T>(_ body: () async throws -> T) async throws(ServiceError) -> T {
        do {
            return try await body()
        } catch {
            throw ServiceError(.store, "the store failed: \(error)")
        }
    }
}

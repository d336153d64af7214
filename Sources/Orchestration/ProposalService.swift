import Catalog
import Foundation
import Inventory
import Logging
import Store

/// Catalog proposals for unknown hardware (`catalog proposals`, `GET /catalog/proposals`): the stored servers whose
/// newest inventory gets a proposal from the classifier (unknown, or a `low` best fit) grouped by build
/// (`HardwareFingerprint`), and accepting one, which writes its entry into a catalog directory.
public struct ProposalService: Sendable {
    let store: any Store
    let catalog: Catalog
    let logger: Logger

    /// The service over a store and the catalog in use.
    public init(store: any Store, catalog: Catalog, logger: Logger) {
        self.store = store
        self.catalog = catalog
        self.logger = logger
    }

    /// Every proposal, the largest group first (then by id).
    public func list() async throws(ServiceError) -> [CatalogProposal] {
        let servers = try await ServiceError.storing { try await store.servers() }
        let classifier = Classifier(catalog: catalog)
        var groups: [String: [(server: ServerRecord, inventory: Inventory, type: DeviceType, result: Classification)]] =
            [:]
        for server in servers {
            guard let text = server.inventory else { continue }
            guard let inventory = try? JSONDecoder().decode(Inventory.self, from: Data(text.utf8)) else {
                logger.warning(
                    "recorded inventory cannot be read; not considered for proposals",
                    metadata: ["server": "\(server.id)"])
                continue
            }
            let result = classifier.classify(inventory)
            guard result.proposal != nil, let type = Classifier.proposedType(for: inventory) else { continue }
            groups[HardwareFingerprint(type).digest, default: []].append((server, inventory, type, result))
        }
        var proposals: [CatalogProposal] = []
        for (digest, members) in groups {
            let members = members.sorted { $0.server.id < $1.server.id }
            let first = members[0]
            let serials = members.compactMap { $0.inventory.system.serial }
            var type = first.type
            type.description =
                "Proposed from \(members.count) discovered server(s)"
                + (serials.isEmpty
                    ? "" : " (serial \(serials.prefix(5).joined(separator: ", "))\(serials.count > 5 ? ", …" : ""))")
                + "; review before use"
            proposals.append(
                CatalogProposal(
                    id: String(digest.prefix(12)), fingerprint: digest, suggestedName: type.name, vendor: type.vendor,
                    count: members.count,
                    servers: members.map {
                        CatalogProposal.Server(
                            id: $0.server.id, name: $0.server.name, serial: $0.inventory.system.serial)
                    },
                    confidence: members.map(\.result.confidence).max() ?? .none,
                    nearest: Array(first.result.candidates.prefix(3)), deviceType: type,
                    yaml: (try? CatalogWriter.renderDeviceTypes([type])) ?? ""))
        }
        return proposals.sorted { ($1.count, $0.id) < ($0.count, $1.id) }
    }

    /// Proposal `id` (its 12-character id or whole fingerprint); not found when no stored server has that build any
    /// more, or the id is mistyped.
    public func proposal(_ id: String) async throws(ServiceError) -> CatalogProposal {
        let all = try await list()
        guard let found = all.first(where: { $0.id == id || $0.fingerprint == id }) else {
            throw ServiceError(
                .notFound,
                "no proposal \(id); the current ones are "
                    + (all.isEmpty ? "none" : all.map(\.id).joined(separator: ", "))
                    + " (`hwautomation catalog proposals`)")
        }
        return found
    }

    /// Accepts proposal `id`: its entry, named `name` (or the suggested name), is added to the catalog in
    /// `configDirectory` (`CatalogWriter.add(_:to:)`: checked, loaded again, nothing partial) and audited under
    /// `actor`. A directory that does not exist (or is empty) is first written from the catalog in use. The type is
    /// used once the catalog is loaded again: a running process keeps the catalog it started with.
    public func accept(_ id: String, name: String?, configDirectory: String?, actor: String) async throws(ServiceError)
        -> AcceptedProposal
    {
        let proposal = try await self.proposal(id)
        let chosen = name ?? proposal.suggestedName
        if let problem = DeviceTypeName.problem(with: chosen) { throw ServiceError(.invalid, field: .name, problem) }
        if catalog.deviceTypes[chosen] != nil {
            throw ServiceError(
                .conflict, "`\(chosen)` is already a device type of the catalog in use; choose another name")
        }
        guard let configDirectory, !configDirectory.isEmpty else {
            throw ServiceError(
                .unavailable,
                "no catalog directory to write to: the catalog in use is the built-in one. Give a config directory "
                    + "(--config-dir DIR or \(CatalogLoader.environmentVariable); a new DIR starts as a copy of the "
                    + "catalog in use) and use it from then on")
        }
        let directory = URL(fileURLWithPath: configDirectory)
        let createdCatalog = try seed(directory)
        var type = proposal.deviceType
        type.name = chosen
        let added: CatalogWriter.Added
        do {
            added = try CatalogWriter.add(type, to: directory)
        } catch {
            switch error.kind {
            case .invalidName: throw ServiceError(.invalid, field: .name, error.message)
            case .nameTaken, .invalidResult: throw ServiceError(.conflict, error.message)
            case .notACatalog, .io: throw ServiceError(.unavailable, error.message)
            }
        }
        try await ServiceError.storing {
            try await store.audit(
                AuditEntry(
                    actor: actor, action: "catalog.proposal.accept", target: chosen,
                    detail: "proposal \(proposal.id), \(proposal.count) server(s) "
                        + proposal.servers.prefix(20).map(\.id).joined(separator: ",")
                        + (proposal.count > 20 ? ",…" : "") + "; written to \(added.file.path)"))
        }
        logger.info(
            "catalog proposal accepted",
            metadata: ["proposal": "\(proposal.id)", "type": "\(chosen)", "file": "\(added.file.path)"])
        return AcceptedProposal(
            id: proposal.id, name: chosen, vendor: type.vendor, file: added.file.path, createdFile: added.createdFile,
            createdCatalog: createdCatalog, yaml: added.yaml, servers: proposal.servers.map(\.id),
            warnings: added.warnings.map(\.description), activeAfterRestart: true)
    }

    /// Writes the catalog in use to `directory` when it does not exist or is empty; true when it did.
    private func seed(_ directory: URL) throws(ServiceError) -> Bool {
        let fileManager = FileManager.default
        if let contents = try? fileManager.contentsOfDirectory(atPath: directory.path), !contents.isEmpty {
            return false
        }
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: directory.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ServiceError(.unavailable, "\(directory.path) is a file, not a catalog directory")
        }
        do {
            try CatalogWriter.write(catalog, to: directory)
        } catch {
            throw ServiceError(.unavailable, "cannot write the catalog in use to \(directory.path): \(error)")
        }
        return true
    }
}

import Catalog
import Foundation
import HTTPTypes
import Orchestration
import Store

/// The device catalog: types, vendors, status, validation, proposals. These operations are generated from the
/// OpenAPI document (`APIProtocol`, registered by `SpecRouteTransport`): a handler gets the operation's input as the
/// document describes it and returns one of its documented answers; a `ProblemDetails` it throws is the answer.
/// (So are the audit log's and the address pools'.)
extension APIServer {
    func listDeviceTypes(_ input: Operations.ListDeviceTypes.Input) async throws -> Operations.ListDeviceTypes.Output {
        let vendor = input.query.vendor
        if let vendor, catalog.catalog.vendors[vendor] == nil {
            throw ProblemDetails(
                .badRequest,
                "query parameter `vendor`: no vendor \(vendor); known: "
                    + catalog.catalog.vendors.keys.sorted().joined(separator: ", "))
        }
        return .ok(.init(body: .json(catalog.catalog.sortedDeviceTypes(vendor: vendor).map(DeviceTypeSummary.init))))
    }

    func getDeviceType(_ input: Operations.GetDeviceType.Input) async throws -> Operations.GetDeviceType.Output {
        guard let type = catalog.catalog.deviceType(named: input.path.name) else {
            throw ProblemDetails(.notFound, "no device type \(input.path.name) in the catalog")
        }
        return .ok(.init(body: .json(type)))
    }

    func listVendors(_ input: Operations.ListVendors.Input) async throws -> Operations.ListVendors.Output {
        .ok(.init(body: .json(catalog.catalog.vendors.values.sorted { $0.id < $1.id })))
    }

    func catalogStatus(_ input: Operations.CatalogStatus.Input) async throws -> Operations.CatalogStatus.Output {
        .ok(.init(body: .json(CatalogStatus(catalog))))
    }

    func validateCatalog(_ input: Operations.ValidateCatalog.Input) async throws -> Operations.ValidateCatalog.Output {
        let diagnostics = CatalogValidation.diagnostics(of: catalog)
        let errors = diagnostics.filter { $0.severity == .error }.count
        return .ok(
            .init(
                body: .json(
                    ValidationView(
                        valid: errors == 0, errors: errors, warnings: diagnostics.count - errors,
                        deviceTypes: catalog.catalog.deviceTypes.count, templates: catalog.catalog.templates.count,
                        diagnostics: diagnostics))))
    }

    func listCatalogProposals(_ input: Operations.ListCatalogProposals.Input) async throws
        -> Operations.ListCatalogProposals.Output
    {
        .ok(.init(body: .json(try await Self.serving { () async throws(ServiceError) in try await proposals.list() })))
    }

    /// Writing the catalog is an admin's decision (the document's `x-required-scope`): it changes what every later
    /// start classifies.
    func acceptCatalogProposal(_ input: Operations.AcceptCatalogProposal.Input) async throws
        -> Operations.AcceptCatalogProposal.Output
    {
        var name: String?
        if case .json(let given)? = input.body { name = given.name }
        let directory = catalog.kind == .catalog ? catalog.directory : nil
        let actor = APIRequestContext.callerActor
        let accepted = try await Self.serving { () async throws(ServiceError) in
            try await proposals.accept(input.path.id, name: name, configDirectory: directory, actor: actor)
        }
        return .created(.init(body: .json(accepted)))
    }

    /// Catalog proposals over this server's store and the catalog it loaded.
    var proposals: ProposalService { ProposalService(store: store, catalog: catalog.catalog, logger: logger) }
}

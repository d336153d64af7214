import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Orchestration
import Store
import WorkflowEngine

extension APIServer {
    /// The device catalog: types, vendors, status, validation.
    func addCatalog(to groups: RouteGroups) {
        let base = Self.prefix + "/catalog"
        on(groups, .token(.read), .get, base + "/device-types") { request, _ in
            let vendor = request.query("vendor")
            if let vendor, catalog.catalog.vendors[vendor] == nil {
                throw ProblemDetails(
                    .badRequest,
                    "query parameter `vendor`: no vendor \(vendor); known: "
                        + catalog.catalog.vendors.keys.sorted().joined(separator: ", "))
            }
            return try Self.json(catalog.catalog.sortedDeviceTypes(vendor: vendor).map(DeviceTypeSummary.init))
        }
        on(groups, .token(.read), .get, base + "/device-types/{name}") { _, context in
            let name = try context.parameters.require("name")
            guard let type = catalog.catalog.deviceType(named: name) else {
                throw ProblemDetails(.notFound, "no device type \(name) in the catalog")
            }
            return try Self.json(type)
        }
        on(groups, .token(.read), .get, base + "/vendors") { _, _ in
            try Self.json(catalog.catalog.vendors.values.sorted { $0.id < $1.id })
        }
        on(groups, .token(.read), .get, base + "/status") { _, _ in
            try Self.json(CatalogStatus(catalog))
        }
        on(groups, .token(.read), .get, base + "/validate") { _, _ in
            let diagnostics = CatalogValidation.diagnostics(of: catalog)
            let errors = diagnostics.filter { $0.severity == .error }.count
            return try Self.json(
                ValidationView(
                    valid: errors == 0, errors: errors, warnings: diagnostics.count - errors,
                    deviceTypes: catalog.catalog.deviceTypes.count, templates: catalog.catalog.templates.count,
                    diagnostics: diagnostics))
        }
        on(groups, .token(.read), .get, base + "/proposals") { _, _ in
            try Self.json(try await Self.serving { () async throws(ServiceError) in try await proposals.list() })
        }
        // Writing the catalog is an admin's decision: it changes what every later start classifies.
        on(groups, .token(.admin), .post, base + "/proposals/{id}/accept") { request, context in
            let id = try context.parameters.require("id")
            let body = try await Self.decode(ProposalAcceptRequest.self, request)
            let directory = catalog.kind == .catalog ? catalog.directory : nil
            let accepted = try await Self.serving { () async throws(ServiceError) in
                try await proposals.accept(id, name: body.name, configDirectory: directory, actor: context.actor)
            }
            return try Self.json(accepted, status: .created)
        }
    }

    /// Catalog proposals over this server's store and the catalog it loaded.
    var proposals: ProposalService { ProposalService(store: store, catalog: catalog.catalog, logger: logger) }
}

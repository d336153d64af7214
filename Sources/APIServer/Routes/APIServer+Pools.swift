import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store
import WorkflowEngine

extension APIServer {
    /// BMC address pools: define, assignments, assign, release.
    func addPools(to groups: RouteGroups) {
        let base = Self.prefix + "/pools"
        on(groups, .token(.admin), .put, base + "/{name}") { request, context in
            let name = try poolName(context)
            let body = try await Self.decode(PoolDefinition.self, request)
            guard !body.ranges.isEmpty else {
                throw ProblemDetails(.badRequest, "`ranges` must name at least one range")
            }
            let exclusions = body.exclusions ?? []
            do throws(StoreError) {
                try await store.definePool(name: name, ranges: body.ranges, exclusions: exclusions)
            } catch {
                throw ProblemDetails(.badRequest, "`ranges`: \(error.message)")
            }
            try await audit(context, "pool.define", name, body.ranges.joined(separator: ","))
            return try Self.json(PoolDefinition(ranges: body.ranges, exclusions: exclusions))
        }
        on(groups, .token(.read), .get, base + "/{name}/assignments") { _, context in
            let name = try poolName(context)
            let assignments = try await Self.stored { try await store.assignments(pool: name) }
            return try Self.json(assignments)
        }
        on(groups, .token(.admin), .post, base + "/{name}/assignments") { request, context in
            let name = try poolName(context)
            let body = try await Self.decode(PoolAssignRequest.self, request)
            guard try await Self.stored({ try await store.server(id: body.server) }) != nil
            else {
                throw ProblemDetails(.badRequest, "`server`: no stored server \(body.server)")
            }
            let address: String
            do throws(StoreError) {
                address = try await store.assign(pool: name, serverID: body.server)
            } catch {
                throw ProblemDetails(.conflict, "pool \(name): \(error.message)")
            }
            try await audit(context, "pool.assign", name, "\(body.server) \(address)")
            return try Self.json(["pool": name, "server_id": body.server, "address": address])
        }
        on(groups, .token(.admin), .delete, base + "/{name}/assignments/{server}") { _, context in
            let name = try poolName(context)
            let server = try context.parameters.require("server")
            guard
                try await Self.stored({ try await store.release(pool: name, serverID: server) }
                )
            else {
                throw ProblemDetails(.notFound, "server \(server) has no address in pool \(name)")
            }
            try await audit(context, "pool.release", name, server)
            return Response(status: .noContent)
        }
    }

    func poolName(_ context: APIRequestContext) throws -> String {
        let name = try context.parameters.require("name")
        guard !name.isEmpty, name.count <= 64 else {
            throw ProblemDetails(.badRequest, "the pool name must be 1 to 64 characters")
        }
        return name
    }
}

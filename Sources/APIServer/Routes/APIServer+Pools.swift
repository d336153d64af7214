import Foundation
import HTTPTypes
import OpenAPIRuntime
import Store

/// BMC address pools: define, assignments, assign, release (generated from the OpenAPI document, as the catalog's).
extension APIServer {
    func definePool(_ input: Operations.DefinePool.Input) async throws -> Operations.DefinePool.Output {
        let name = try Self.poolName(input.path.name)
        guard case .json(let body) = input.body, !body.ranges.isEmpty else {
            throw ProblemDetails(.badRequest, "`ranges` must name at least one range")
        }
        let exclusions = body.exclusions ?? []
        do throws(StoreError) {
            try await store.definePool(name: name, ranges: body.ranges, exclusions: exclusions)
        } catch {
            throw ProblemDetails(.badRequest, "`ranges`: \(error.message)")
        }
        try await audit("pool.define", name, body.ranges.joined(separator: ","))
        return .ok(.init(body: .json(PoolDefinition(ranges: body.ranges, exclusions: exclusions))))
    }

    func poolAssignments(_ input: Operations.PoolAssignments.Input) async throws -> Operations.PoolAssignments.Output {
        let name = try Self.poolName(input.path.name)
        return .ok(.init(body: .json(try await Self.stored { try await store.assignments(pool: name) })))
    }

    func assignAddress(_ input: Operations.AssignAddress.Input) async throws -> Operations.AssignAddress.Output {
        let name = try Self.poolName(input.path.name)
        guard case .json(let body) = input.body else { throw ProblemDetails(.badRequest, "the body has no `server`") }
        guard try await Self.stored({ try await store.server(id: body.server) }) != nil else {
            throw ProblemDetails(.badRequest, "`server`: no stored server \(body.server)")
        }
        let address: String
        do throws(StoreError) {
            address = try await store.assign(pool: name, serverID: body.server)
        } catch {
            throw ProblemDetails(.conflict, "pool \(name): \(error.message)")
        }
        try await audit("pool.assign", name, "\(body.server) \(address)")
        let answer = try OpenAPIObjectContainer(
            unvalidatedValue: ["pool": name, "server_id": body.server, "address": address])
        return .ok(.init(body: .json(.init(additionalProperties: answer))))
    }

    func releaseAddress(_ input: Operations.ReleaseAddress.Input) async throws -> Operations.ReleaseAddress.Output {
        let name = try Self.poolName(input.path.name)
        let server = input.path.server
        guard try await Self.stored({ try await store.release(pool: name, serverID: server) }) else {
            throw ProblemDetails(.notFound, "server \(server) has no address in pool \(name)")
        }
        try await audit("pool.release", name, server)
        return .noContent(.init())
    }

    /// `name` if it is a pool name (1 to 64 characters), else a 400 problem.
    static func poolName(_ name: String) throws -> String {
        guard !name.isEmpty, name.count <= 64 else {
            throw ProblemDetails(.badRequest, "the pool name must be 1 to 64 characters")
        }
        return name
    }
}

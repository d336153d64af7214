import Foundation

/// Address pools for BMC networks: never one address for two servers.
public protocol PoolRepository: Sendable {
    /// Defines (or redefines) an address pool from ranges (`10.0.0.10-10.0.0.50`, `10.0.1.0/28`) less exclusions.
    func definePool(name: String, ranges: [String], exclusions: [String]) async throws(StoreError)
    /// The address of `serverID` in `pool`: its existing one, or the lowest free one. Never two servers one address.
    func assign(pool: String, serverID: String) async throws(StoreError) -> String
    /// Gives a server's address back; false when it had none.
    func release(pool: String, serverID: String) async throws(StoreError) -> Bool
    /// The pool's assignments, by address.
    func assignments(pool: String) async throws(StoreError) -> [PoolAssignment]
}

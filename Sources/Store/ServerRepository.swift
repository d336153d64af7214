import Foundation

/// Servers: what each one is, where its BMC is, what it became.
public protocol ServerRepository: Sendable {
    /// Adds or replaces a server.
    func upsertServer(_ server: ServerRecord) async throws(StoreError)
    /// One server.
    func server(id: String) async throws(StoreError) -> ServerRecord?
    /// Every server, by id.
    func servers() async throws(StoreError) -> [ServerRecord]
    /// Removes a server; false when there was none.
    func deleteServer(id: String) async throws(StoreError) -> Bool
}

import Foundation

extension InMemoryStore {
    /// The `Store` requirement of the same name.
    public func createToken(_ token: APIToken) throws(StoreError) {
        guard !tokenRows.contains(where: { $0.name == token.name && $0.revoked == nil }) else {
            throw StoreError("a working token named \(token.name) exists; revoke it first or pick another name")
        }
        tokenRows.append(token)
    }

    /// The `Store` requirement of the same name.
    public func token(digest: String) throws(StoreError) -> APIToken? { tokenRows.first { $0.digest == digest } }

    /// The `Store` requirement of the same name.
    public func tokens() throws(StoreError) -> [APIToken] { tokenRows }

    /// The `Store` requirement of the same name.
    public func revokeToken(name: String, at: Date) throws(StoreError) -> Bool {
        guard let index = tokenRows.firstIndex(where: { $0.name == name && $0.revoked == nil }) else { return false }
        tokenRows[index].revoked = at
        return true
    }

    /// The `Store` requirement of the same name.
    public func touchToken(id: String, at: Date) throws(StoreError) {
        if let index = tokenRows.firstIndex(where: { $0.id == id }) { tokenRows[index].lastUsed = at }
    }
}

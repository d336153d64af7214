import Foundation

/// API tokens (their SHA-256 digests, never the secrets).
public protocol TokenRepository: Sendable {
    /// Stores a new API token (its digest); a working token of the same name is an error.
    func createToken(_ token: APIToken) async throws(StoreError)
    /// The token whose secret has this digest (revoked ones included, so a refusal can say so).
    func token(digest: String) async throws(StoreError) -> APIToken?
    /// Every token, oldest first.
    func tokens() async throws(StoreError) -> [APIToken]
    /// Revokes the working token `name`; false when there is none.
    func revokeToken(name: String, at: Date) async throws(StoreError) -> Bool
    /// Records that the token `id` was presented at `at`.
    func touchToken(id: String, at: Date) async throws(StoreError)
}

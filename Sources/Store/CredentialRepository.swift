import Foundation

/// Credentials, sealed at rest with their bindings (`SecretBox`); listing never returns secrets.
public protocol CredentialRepository: Sendable {
    /// Stores (or replaces) a credential with where it may be sent; the secret is encrypted at rest, sealed
    /// together with its bindings.
    func putCredential(name: String, user: String?, secret: String, kind: String, scope: CredentialScope)
        async throws(StoreError)
    /// Replaces the bindings of credential `name` (its secret kept); false when there is no such credential.
    func bindCredential(name: String, scope: CredentialScope) async throws(StoreError) -> Bool
    /// A credential, decrypted, with its bindings (check them with `Credential.check` before sending it).
    func credential(name: String) async throws(StoreError) -> Credential?
    /// Every credential, without secrets.
    func credentials() async throws(StoreError) -> [CredentialSummary]
    /// Removes a credential; false when there was none.
    func deleteCredential(name: String) async throws(StoreError) -> Bool
}

extension CredentialRepository {
    /// Stores (or replaces) an unbound credential: usable against any address, never over plain http.
    public func putCredential(name: String, user: String?, secret: String, kind: String) async throws(StoreError) {
        try await putCredential(name: name, user: user, secret: secret, kind: kind, scope: .unbound)
    }
}

import Crypto
import Foundation
import Remote

/// Encrypts secrets with AES-GCM under a 256-bit key kept in a file the operator owns (mode 0600).
public struct SecretBox: Sendable {
    private let key: SymmetricKey

    /// A box with `key` (tests).
    public init(key: SymmetricKey) {
        self.key = key
    }

    /// A box whose key lives only in this process (unit tests, benchmarks, dry runs): what it seals is lost with it.
    public static func ephemeral() -> SecretBox { SecretBox(key: SymmetricKey(size: .bits256)) }

    /// The key in `path`; created (random, mode 0600 from its first instant, in a folder made 0700) when absent;
    /// refused when others can read it or it is not 32 bytes. Creation never writes through an existing name or link,
    /// and when another process creates the key at the same moment, its key is read and used.
    public static func keyFile(_ path: String) throws(StoreError) -> SecretBox {
        let fileManager = FileManager.default
        if SecretFile.mode(of: path) == nil {
            let key = SymmetricKey(size: .bits256)
            let data = key.withUnsafeBytes { Data($0) }
            do throws(SecretFileError) {
                try SecretFile.makeDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
                try SecretFile.create(data, at: path)
                return SecretBox(key: key)
            } catch let error where error.kind == .exists && error.path == path {
                // Created meanwhile by another process: read below.
            } catch {
                throw StoreError("cannot create the credential key file: \(error)")
            }
        }
        guard let attributes = try? fileManager.attributesOfItem(atPath: path),
            let permissions = attributes[.posixPermissions] as? Int, let data = fileManager.contents(atPath: path)
        else {
            throw StoreError("\(path): cannot read the credential key file")
        }
        guard permissions & 0o077 == 0 else {
            throw StoreError(
                "\(path) is readable by others (mode \(String(permissions, radix: 8))); run `chmod 600 \(path)`")
        }
        guard data.count == 32 else {
            throw StoreError("\(path) is not a credential key (expected 32 bytes, found \(data.count))")
        }
        return SecretBox(key: SymmetricKey(data: data))
    }

    /// Sealed bytes (nonce, ciphertext and tag); `authenticating`, when given, must be given again to open them.
    public func seal(_ secret: String, authenticating: Data? = nil) throws(StoreError) -> Data {
        do {
            let sealed =
                if let authenticating {
                    try AES.GCM.seal(Data(secret.utf8), using: key, authenticating: authenticating)
                } else {
                    try AES.GCM.seal(Data(secret.utf8), using: key)
                }
            guard let combined = sealed.combined else {
                throw StoreError("cannot seal the secret")
            }
            return combined
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("cannot seal the secret: \(error)")
        }
    }

    /// The secret, or an error saying the key does not match (or, with `authenticating`, that the data it was
    /// sealed with is not this).
    public func open(_ sealed: Data, authenticating: Data? = nil) throws(StoreError) -> String {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            let opened =
                if let authenticating {
                    try AES.GCM.open(box, using: key, authenticating: authenticating)
                } else {
                    try AES.GCM.open(box, using: key)
                }
            return String(decoding: opened, as: UTF8.self)
        } catch {
            throw StoreError(
                "a stored secret cannot be decrypted: the credential key file is not the one it was stored with"
                    + (authenticating == nil ? "" : ", or the data it was sealed with is not this"))
        }
    }

    /// The credential `name`'s secret sealed together with its `scope` (bindings changed outside HWAutomation then
    /// make it unreadable rather than widening where it may go).
    func seal(_ secret: String, credential name: String, scope: CredentialScope) throws(StoreError) -> Data {
        try seal(secret, authenticating: scope.authenticatedData(credential: name))
    }

    /// The credential `name` read back: its secret, opened only if its stored `scope` is the one it was sealed with.
    func open(_ sealed: Data, credential name: String, user: String?, scope: CredentialScope) throws(StoreError)
        -> Credential
    {
        do {
            let secret = try open(sealed, authenticating: scope.authenticatedData(credential: name))
            return Credential(name: name, user: user, secret: secret, scope: scope)
        } catch {
            throw StoreError(
                "credential \(name): its secret cannot be decrypted: the credential key file is not the one it was "
                    + "stored with, or its bindings were changed outside hwautomation; set it again with "
                    + "`hwautomation credentials set \(name)`")
        }
    }
}

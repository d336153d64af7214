import Crypto
import Foundation

/// Encrypts secrets with AES-GCM under a 256-bit key kept in a file the operator owns (mode 0600).
public struct SecretBox: Sendable {
    private let key: SymmetricKey

    /// A box with `key` (tests).
    public init(key: SymmetricKey) {
        self.key = key
    }

    /// A box whose key lives only in this process (unit tests, benchmarks, dry runs): what it seals is lost with it.
    public static func ephemeral() -> SecretBox { SecretBox(key: SymmetricKey(size: .bits256)) }

    /// The key in `path`; created (random, mode 0600) when absent; refused when others can read it or it is not
    /// 32 bytes.
    public static func keyFile(_ path: String) throws(StoreError) -> SecretBox {
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: path) {
            let key = SymmetricKey(size: .bits256)
            let data = key.withUnsafeBytes { Data($0) }
            do {
                try fileManager.createDirectory(
                    at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError("\(path): cannot create the key's folder: \(error.localizedDescription)")
            }
            guard fileManager.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw StoreError("\(path): cannot create the credential key file")
            }
            return SecretBox(key: key)
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

    /// Sealed bytes (nonce, ciphertext and tag).
    public func seal(_ secret: String) throws(StoreError) -> Data {
        do {
            guard let combined = try AES.GCM.seal(Data(secret.utf8), using: key).combined else {
                throw StoreError("cannot seal the secret")
            }
            return combined
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("cannot seal the secret: \(error)")
        }
    }

    /// The secret, or an error saying the key does not match.
    public func open(_ sealed: Data) throws(StoreError) -> String {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
        } catch {
            throw StoreError(
                "a stored secret cannot be decrypted: the credential key file is not the one it was stored with")
        }
    }
}

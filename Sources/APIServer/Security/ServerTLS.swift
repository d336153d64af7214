import Foundation
import NIOSSL

/// The server's own certificate and key for `serve --tls-cert --tls-key`.
public enum ServerTLS {
    /// A problem with the certificate or key files, naming the file.
    public struct LoadError: Error, CustomStringConvertible {
        /// What is wrong, for a person to fix.
        public var description: String
    }

    /// A TLS server configuration from PEM files: the certificate (chain) and its private key. The key file must not
    /// be readable by group or others (mode 0600 or stricter).
    public static func configuration(certificateFile: String, keyFile: String) throws -> TLSConfiguration {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: keyFile)
        } catch {
            throw LoadError(description: "--tls-key \(keyFile): cannot be read")
        }
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.uint16Value, mode & 0o077 != 0 {
            throw LoadError(
                description: "--tls-key \(keyFile): readable by others (mode \(String(mode & 0o777, radix: 8))); "
                    + "chmod 600 it")
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        } catch {
            throw LoadError(description: "--tls-cert \(certificateFile): not a PEM certificate (\(error))")
        }
        guard !chain.isEmpty else {
            throw LoadError(description: "--tls-cert \(certificateFile): holds no certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw LoadError(description: "--tls-key \(keyFile): not a PEM private key")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}

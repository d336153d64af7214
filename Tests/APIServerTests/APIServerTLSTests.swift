import APIServer
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Remote
import ServiceLifecycle
import Testing

/// `serve --tls-cert --tls-key`: HTTPS with HSTS; a key readable by others refused; plain HTTP to the TLS port fails.
@Suite("API TLS")
struct APIServerTLSTests {
    /// A self-signed certificate for 127.0.0.1 and its key (0600), made with openssl in a new directory.
    static func certificate() async throws -> (certificate: String, key: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("server.pem").path
        let key = directory.appendingPathComponent("server.key").path
        _ = try await ProcessRunner(logger: Logger(label: "tls-test")).check(
            Command(
                "openssl",
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                ]))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        return (certificate, key)
    }

    @Test("HTTPS answers with HSTS; the certificate is the one given; plain HTTP to that port gets no answer")
    func https() async throws {
        let (certificateFile, keyFile) = try await Self.certificate()
        let tls = try ServerTLS.configuration(certificateFile: certificateFile, keyFile: keyFile)
        let fixture = try await APIFixture.make(nodes: 1)
        try await fixture.withServer { server, _, _ in
            let (ports, port) = AsyncStream.makeStream(of: Int.self)
            let app = try server.application(host: "127.0.0.1", port: 0, tls: tls) { port.yield($0) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.run() }
                var listening = 0
                for await value in ports {
                    listening = value
                    break
                }
                var configuration = TLSConfiguration.makeClientConfiguration()
                configuration.trustRoots = .file(certificateFile)
                let client = HTTPClient(
                    eventLoopGroupProvider: .singleton,
                    configuration: HTTPClient.Configuration(tlsConfiguration: configuration))
                var request = HTTPClientRequest(url: "https://127.0.0.1:\(listening)/api/v1/servers")
                request.headers.add(name: "Authorization", value: "Bearer \(fixture.reader)")
                let response = try await client.execute(request, timeout: .seconds(60))
                #expect(response.status == .ok)
                #expect(response.headers.first(name: "strict-transport-security") == "max-age=31536000")
                let plain = try? await HTTPClient.shared.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(listening)/api/v1/health"), timeout: .seconds(30))
                #expect(plain?.status != .ok, "plain HTTP is not served on the TLS port")
                try await client.shutdown()
                group.cancelAll()
            }
        }
    }

    @Test("a key file readable by others, a missing file and a non-PEM file are refused, naming the file")
    func refusals() async throws {
        let (certificateFile, keyFile) = try await Self.certificate()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile)
        #expect {
            try ServerTLS.configuration(certificateFile: certificateFile, keyFile: keyFile)
        } throws: { error in
            "\(error)".contains(keyFile) && "\(error)".contains("chmod 600")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile)
        #expect {
            try ServerTLS.configuration(certificateFile: keyFile + ".missing", keyFile: keyFile)
        } throws: { error in
            "\(error)".contains("--tls-cert")
        }
        #expect {
            try ServerTLS.configuration(certificateFile: keyFile, keyFile: keyFile)
        } throws: { error in
            "\(error)".contains("--tls-cert \(keyFile)")
        }
    }
}

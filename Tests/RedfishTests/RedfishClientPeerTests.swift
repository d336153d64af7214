import Foundation
import Logging
import TestSupport
import Testing

@testable import Redfish

/// The client's TLS and auth behaviour against sushy-tools' HTTPS instance (self-signed certificate, Basic auth).
@Suite("Redfish client against sushy-tools")
struct RedfishClientPeerTests {
    let logger = Logger(label: "redfish-tests")

    func endpoint(tls: RedfishEndpoint.TLSPolicy, password: String? = nil) throws -> RedfishEndpoint {
        RedfishEndpoint(
            baseURL: URL(string: try Peer.value("HWA_TEST_REDFISH_TLS_URL"))!,
            username: try Peer.value("HWA_TEST_REDFISH_USER"),
            password: try password ?? Peer.secret("HWA_TEST_REDFISH_PASSWORD_FILE"), tls: tls, timeout: .seconds(30),
            attempts: 1)
    }

    @Test(
        "the BMC's CA file verifies; the system trust store does not; --insecure skips",
        .enabled(if: Peer.redfishTLS.enabled))
    func tls() async throws {
        let trusted = try RedfishClient(
            endpoint: try endpoint(tls: .trustRoots(pemFile: try Peer.value("HWA_TEST_REDFISH_CA"))), logger: logger)
        let root = try await trusted.get("/redfish/v1")
        #expect(root["Systems"]["@odata.id"].string == "/redfish/v1/Systems")
        #expect(await trusted.requestCount <= 2)
        await trusted.shutdown()

        let verifying = try RedfishClient(endpoint: try endpoint(tls: .verify), logger: logger)
        await #expect {
            _ = try await verifying.get("/redfish/v1")
        } throws: { error in
            guard let error = error as? RedfishError else { return false }
            return error.kind == .transport && error.message.contains("TLS")
        }
        await verifying.shutdown()

        let insecure = try RedfishClient(endpoint: try endpoint(tls: .insecure), logger: logger)
        #expect(try await insecure.get("/redfish/v1/Systems")["Members"].array.count >= 1)
        await insecure.shutdown()
    }

    @Test(
        "a wrong password is .unauthorized with the BMC, method, path and status", .enabled(if: Peer.redfishTLS.enabled)
    )
    func unauthorized() async throws {
        let client = try RedfishClient(
            endpoint: try endpoint(tls: .trustRoots(pemFile: try Peer.value("HWA_TEST_REDFISH_CA")), password: "wrong"),
            logger: logger)
        await #expect {
            _ = try await client.get("/redfish/v1/Systems")
        } throws: { error in
            guard let error = error as? RedfishError else { return false }
            return error.kind == .unauthorized && error.status == 401 && error.method == "GET"
                && error.path == "/redfish/v1/Systems"
                && error.bmc.hasPrefix("127.0.0.1:") && !error.description.contains("wrong")
        }
        await client.shutdown()
    }

    @Test("a name redirects to the system's UUID and is followed", .enabled(if: Peer.redfishTLS.enabled))
    func redirect() async throws {
        let client = try RedfishClient(
            endpoint: try endpoint(tls: .trustRoots(pemFile: try Peer.value("HWA_TEST_REDFISH_CA"))), logger: logger)
        let system = try await client.get("/redfish/v1/Systems/node1")
        #expect(system["UUID"].string == "11111111-2222-3333-4444-555555555501")
        await client.shutdown()
    }

    @Test("nothing listening is a transport error after the configured attempts", .enabled(if: Peer.redfishTLS.enabled))
    func refused() async throws {
        let client = try RedfishClient(
            endpoint: RedfishEndpoint(baseURL: URL(string: "http://127.0.0.1:1")!, attempts: 2), logger: logger)
        await #expect(throws: RedfishError.self) { _ = try await client.get("/redfish/v1") }
        #expect(await client.requestCount == 2)
        await client.shutdown()
    }
}

/// Power control against sushy-tools' fake driver, whose power changes take 1–11 s.
@Suite("Redfish power against sushy-tools (fake driver)")
struct RedfishPowerPeerTests {
    @Test("ForceOff then On, each waited for", .enabled(if: Peer.redfish.enabled))
    func powerCycle() async throws {
        let client = try RedfishClient(
            endpoint: RedfishEndpoint(baseURL: URL(string: try Peer.value("HWA_TEST_REDFISH_URL"))!),
            logger: Logger(label: "power"))
        let system = try #require(try await client.members(of: "Systems").first)
        for (reset, state) in [("ForceOff", "Off"), ("On", "On")] {
            try await client.reset(system: system, type: reset)
            try await client.waitForPowerState(system: system, state, timeout: .seconds(60), poll: .milliseconds(500))
            #expect(try await client.powerState(system: system) == state)
        }
        await #expect(throws: RedfishError.self) { try await client.reset(system: system, type: "Explode") }
        await client.close()
    }
}

/// Certificate pinning on first use, against sushy-tools' self-signed HTTPS BMC.
@Suite("Redfish certificate pins")
struct CertificatePinTests {
    @Test(
        "the first contact stores the certificate; later connections trust only it; a wrong pin fails, naming the pin",
        .enabled(if: Peer.redfishTLS.enabled))
    func trustOnFirstUse() async throws {
        let url = URL(string: try Peer.value("HWA_TEST_REDFISH_TLS_URL"))!
        let pins = CertificatePins(
            directory: FileManager.default.temporaryDirectory.appendingPathComponent("hwa-pins-\(UUID().uuidString)"))
        defer { try? FileManager.default.removeItem(at: pins.directory) }
        let policy = try await pins.policy(host: url.host!, port: url.port!)
        guard case .pinned(let file) = policy else {
            Issue.record("expected a pin, got \(policy)")
            return
        }
        let stored = try String(contentsOfFile: file, encoding: .utf8)
        let issued = try String(contentsOfFile: try Peer.value("HWA_TEST_REDFISH_CA"), encoding: .utf8)
        let body = { (pem: String) in pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined() }
        #expect(body(stored) == body(issued))
        func client(_ tls: RedfishEndpoint.TLSPolicy) throws -> RedfishClient {
            try RedfishClient(
                endpoint: RedfishEndpoint(
                    baseURL: url, username: try Peer.value("HWA_TEST_REDFISH_USER"),
                    password: try Peer.secret("HWA_TEST_REDFISH_PASSWORD_FILE"), tls: tls, attempts: 1),
                logger: Logger(label: "pins"))
        }
        let pinned = try client(try await pins.policy(host: url.host!, port: url.port!))
        #expect(try await pinned.get("/redfish/v1/Systems")["Members"].array.count >= 1)
        await pinned.close()
        // A different certificate in the pin file: the handshake fails and the error says what to do.
        let other = "/etc/ssl/certs/ca-certificates.crt"
        if FileManager.default.fileExists(atPath: other) {
            let text = try String(contentsOfFile: other, encoding: .utf8)
            let first = text.components(separatedBy: "-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n"
            try first.write(toFile: file, atomically: true, encoding: .utf8)
            let wrong = try client(.pinned(pemFile: file))
            await #expect {
                _ = try await wrong.get("/redfish/v1/Systems")
            } throws: { error in
                (error as? RedfishError)?.message.contains("pinned") == true
            }
            await wrong.close()
        }
    }
}

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
            password: try password ?? Peer.secret("HWA_TEST_REDFISH_PASSWORD_FILE"), tls: tls, timeout: .seconds(10),
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
            endpoint: RedfishEndpoint(baseURL: URL(string: try Peer.value("HWA_TEST_REDFISH_URL"))!), logger: Logger(label: "power"))
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

import Foundation
import Logging
import Orchestration
import Redfish
import TestSupport
import Testing

@testable import Firmware

/// SimpleUpdate against sushy-tools (libvirt test driver): the image is served by our file server, the task is
/// followed, and the system's BiosVersion is read back.
@Suite("Firmware update against sushy-tools")
struct FirmwarePeerTests {
    let logger = Logger(label: "firmware-peer-tests")

    @Test(
        "SimpleUpdate of a BIOS image from our file server; task followed; BiosVersion verified after",
        .enabled(if: Peer.redfishTLS.enabled))
    func simpleUpdate() async throws {
        let client = try RedfishClient(
            endpoint: RedfishEndpoint(
                baseURL: URL(string: try Peer.value("HWA_TEST_REDFISH_TLS_URL"))!,
                username: try Peer.value("HWA_TEST_REDFISH_USER"),
                password: try Peer.secret("HWA_TEST_REDFISH_PASSWORD_FILE"),
                tls: .trustRoots(pemFile: try Peer.value("HWA_TEST_REDFISH_CA")), maxTaskPoll: .milliseconds(100)),
            logger: logger)
        let scratch = ScratchRepository()
        defer { scratch.remove() }
        do {
            // node4 is this test's own: the others read or change node1-3.
            let node = "11111111-2222-3333-4444-555555555504"
            let before = try await client.firmwareInventory(system: node)
            let current = try #require(before.version(of: .bios))
            // sushy-tools' emulated flash raises the BIOS version's minor number: that is the image's version.
            var parts = current.split(separator: ".").map { Int($0) ?? 0 }
            #expect(parts.count >= 2)
            parts[1] += 1
            let next = parts.map(String.init).joined(separator: ".")
            let image = try scratch.library.add(
                file: try scratch.file("bios-\(next).bin", Data("sushy bios \(next)".utf8)), vendor: "generic",
                component: .bios, version: next)
            let logger = logger
            let outcome = try await FirmwareFileServer(library: scratch.library, logger: logger).withServer { base in
                var options = FirmwareUpdater.Options(imageBaseURL: base)
                options.transfer = .simple
                options.system = node
                options.firstPoll = .milliseconds(100)
                let updater = FirmwareUpdater(
                    client: client, library: scratch.library, options: options, logger: logger)
                return try await updater.flash(image, previous: current)
            }
            #expect(outcome.method == "simple-update")
            #expect(outcome.task?.hasSuffix("/TaskService/Tasks/42") == true)
            #expect(outcome.state == "active")
            let system = try #require(try await client.systemPath(node))
            #expect(try await client.get(system)["BiosVersion"].string == next)
            await client.close()
        } catch {
            await client.close()
            throw error
        }
    }
}

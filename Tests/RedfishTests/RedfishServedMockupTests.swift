import Foundation
import Logging
import TestSupport
import Testing

@testable import Redfish

/// Our client against an outside Redfish server: sushy-tools' `sushy-static` (Python's HTTP/1.0 BaseHTTPServer,
/// one connection per request, no auth) replaying DMTF's public-rackmount1 mockup from `../shared` (`Peer.mockup`).
@Suite("Redfish client against DMTF's mockup served by sushy-static")
struct RedfishServedMockupTests {
    static let folder = Peer.shared.appendingPathComponent("redfish-mockups/public-rackmount1")
    let logger = Logger(label: "served-mockup-tests")

    func client() throws -> RedfishClient {
        let endpoint = RedfishEndpoint(baseURL: try #require(URL(string: try Peer.value("HWA_TEST_MOCKUP_URL"))))
        return try RedfishClient(endpoint: endpoint, logger: logger)
    }

    /// The Redfish path of every `index.json` in the mockup (`Systems/1/index.json` → `/redfish/v1/Systems/1`).
    static func paths() throws -> [String] {
        let root = folder.standardizedFileURL.path
        let files = try #require(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }
            .filter { $0 == "index.json" || $0.hasSuffix("/index.json") }
        return files.map { file in
            let directory = String(file.dropLast("index.json".count)).trimmingCharacters(in: ["/"])
            return directory.isEmpty ? "/redfish/v1" : "/redfish/v1/" + directory
        }.sorted()
    }

    @Test("every document of the mockup reads back as its file, over one client", .enabled(if: Peer.mockup.enabled))
    func wholeTree() async throws {
        let paths = try Self.paths()
        #expect(paths.count > 100)
        let client = try client()
        var differing: [String] = []
        for path in paths {
            let served = try await client.get(path)
            let file = Self.folder.appendingPathComponent(String(path.dropFirst("/redfish/v1".count)))
                .appendingPathComponent("index.json")
            if served != (try JSONValue.parse(try Data(contentsOf: file))) { differing.append(path) }
        }
        let requests = await client.requestCount
        await client.shutdown()
        #expect(differing.isEmpty, "served differently from the files: \(differing)")
        #expect(requests == paths.count, "one GET per document, no login on a service without auth")
    }

    @Test(
        "a query sushy-static does not know ($expand, which the mockup's root advertises) is a 404 naming the path",
        .enabled(if: Peer.mockup.enabled))
    func expandRefused() async throws {
        let client = try client()
        let root = try await client.serviceRoot()
        #expect(root["ProtocolFeaturesSupported"]["ExpandQuery"]["ExpandAll"].bool == true)
        let path = "/redfish/v1/Systems?$expand=.($levels=1)"
        await #expect {
            _ = try await client.fetch(path)
        } throws: { error in
            guard let error = error as? RedfishError else { return false }
            return error.kind == .http && error.status == 404 && error.path.contains("/redfish/v1/Systems")
        }
        await client.shutdown()
    }
}

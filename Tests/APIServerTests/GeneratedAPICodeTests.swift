import Foundation
import Logging
import Remote
import TestSupport
import Testing

/// The OpenAPI document is the source of the generated handlers' types: the committed code must be what the
/// document generates now (a change to one without the other fails here, naming the command that fixes it).
@Suite("Generated API code")
struct GeneratedAPICodeTests {
    @Test("Sources/APIServer/Generated is what scripts/generate-api.sh makes from openapi.yaml")
    func generatedCodeMatchesDocument() async throws {
        let root = Peer.repositoryRoot.path
        // The first run builds Apple's swift-openapi-generator from the package mirror (under a minute alone).
        let output = try await ProcessRunner(logger: Logger(label: "generate-api")).run(
            Command(
                "/bin/bash", [root + "/scripts/generate-api.sh", "--check"], timeout: .seconds(1800),
                workingDirectory: root))
        #expect(
            output.succeeded,
            "\(output.termination): \(output.standardOutput.suffix(2000)) \(output.standardError.suffix(4000))")
        #expect(output.standardOutput.contains("matches openapi.yaml"))
    }
}

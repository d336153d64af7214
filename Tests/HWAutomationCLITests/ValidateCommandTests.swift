import Foundation
import Lab
import TestSupport
import Testing

/// `hwautomation validate` as an operator runs it: commission two lab servers (validated on the way: `configured`),
/// validate them (exit 0), take a link down behind the tool's back, validate again (exit 2, the server needs
/// attention with the check and the port named), list who needs attention, show the report as JSON.
@Suite("hwautomation validate")
struct ValidateCommandTests {
    @Test("commissioned → passes (exit 0); a link down → needs attention (exit 2), named; attention and show")
    func operatorFlow() async throws {
        try await WorkflowCommandTests.withCommissionedLab(nodes: 2) { lab, environment in
            let clean = try await CLI.run(["validate", "--all"], environment: environment)
            #expect(clean.exitCode == 0, "\(clean.stdout)\n\(clean.stderr)")
            #expect(clean.stdout.contains("node-0 (") && clean.stdout.contains("PASSED"), "\(clean.stdout)")
            #expect(clean.stdout.contains("nic-links"), "\(clean.stdout)")

            let port0 = lab.nodes[0].withState { $0.server.ports[0].name }
            #expect(lab.nodes[0].withState { $0.setLink(port0, up: false) })
            let failing = try await CLI.run(["validate", "--server", "node-0"], environment: environment)
            #expect(failing.exitCode == 2, "\(failing.stdout)\n\(failing.stderr)")
            #expect(failing.stdout.contains("NEEDS ATTENTION"), "\(failing.stdout)")

            let attention = try await CLI.run(["validate", "attention"], environment: environment)
            #expect(attention.exitCode == 0, "\(attention.stderr)")
            #expect(
                attention.stdout.contains("node-0") && !attention.stdout.contains("node-1 ("), "\(attention.stdout)")

            let shown = try await CLI.run(
                ["validate", "show", "--server", "node-0", "--json"], environment: environment)
            #expect(shown.exitCode == 0, "\(shown.stderr)")
            let report = try #require(try CLI.json(shown.stdout) as? [String: Any])
            #expect(report["passed"] as? Bool == false)
            let links = (report["checks"] as? [[String: Any]])?.first { $0["name"] as? String == "nic-links" }
            #expect(links?["result"] as? String == "failed")
            #expect((links?["detail"] as? String)?.contains("down") == true, "\(links ?? [:])")

            let never = try await CLI.run(["validate", "show", "--server", "ghost"], environment: environment)
            #expect(never.exitCode == 1 && never.stderr.contains("no stored server ghost"), "\(never.stderr)")
        }
    }
}

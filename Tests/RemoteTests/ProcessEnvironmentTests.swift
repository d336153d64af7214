import Foundation
import Logging
import Testing

@testable import Remote

/// Child processes get only the allow-listed part of this process's environment, plus what their command passes.
@Suite("ProcessRunner environment", .serialized)
struct ProcessEnvironmentTests {
    let runner = ProcessRunner(logger: Logger(label: "environment-test"))

    /// A stand-in program: a shell script that prints its environment.
    static func printEnvironment() throws -> (script: String, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-env-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = folder.appendingPathComponent("print-env").path
        try "#!/bin/sh\nexec env\n".write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        return (script, folder)
    }

    /// `NAME=value` lines as a dictionary.
    static func parse(_ text: String) -> [String: String] {
        var variables: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            variables[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return variables
    }

    @Test("secrets set in the parent never reach the child; the allow-list and the command's own variables do")
    func allowListOnly() async throws {
        let (script, folder) = try Self.printEnvironment()
        defer { try? FileManager.default.removeItem(at: folder) }
        let secretName = "FOO_SECRET_\(UInt32.random(in: 0...UInt32.max))"
        // Set here only when the process does not have them already; restored after.
        let planted = [
            "PGPASSWORD": "pg-\(UUID().uuidString)", "HWA_DATABASE_URL": "postgres://hwa:dbpw@db.example/hwa",
            "HWA_MAAS_API_KEY": "a:b:c", secretName: "s3cret-\(UUID().uuidString)",
        ].filter { getenv($0.key) == nil }
        for (name, value) in planted { setenv(name, value, 1) }
        defer { for name in planted.keys { unsetenv(name) } }
        #expect(planted[secretName] != nil)

        let output = try await runner.check(
            Command(script, environment: ["IPMI_PASSWORD": "ipmi-pw"], secretEnvironment: ["IPMI_PASSWORD"]))
        let child = Self.parse(output.standardOutput)
        // dash exports the working folder (PWD) itself, whatever it was given (`env -i sh -c env` shows it).
        let allowed = ProcessRunner.inheritedVariables.union(["IPMI_PASSWORD", "PWD"])
        #expect(Set(child.keys).subtracting(allowed).isEmpty, "unexpected: \(Set(child.keys).subtracting(allowed))")
        #expect(child["IPMI_PASSWORD"] == "ipmi-pw")
        for name in planted.keys { #expect(child[name] == nil, "\(name) reached the child") }
        for value in planted.values { #expect(!output.standardOutput.contains(value)) }
        #expect(child["PATH"] == ProcessInfo.processInfo.environment["PATH"])
        #expect(child["HOME"] == ProcessInfo.processInfo.environment["HOME"])
    }

    @Test("the computed environment: allow-listed parent variables, then the command's own, which win")
    func computed() {
        let parent = [
            "PATH": "/usr/bin", "HOME": "/home/op", "LANG": "C.UTF-8", "TZ": "UTC", "PGPASSWORD": "x",
            "HWA_STATE_DIR": "/var/lib/hwa", "SSH_AUTH_SOCK": "/tmp/agent", "AWS_SECRET_ACCESS_KEY": "y",
        ]
        let environment = ProcessRunner.childEnvironment(
            for: Command("ipmitool", environment: ["IPMI_PASSWORD": "p", "LANG": "C"]), parent: parent)
        #expect(
            environment == ["PATH": "/usr/bin", "HOME": "/home/op", "LANG": "C", "TZ": "UTC", "IPMI_PASSWORD": "p"])
    }
}

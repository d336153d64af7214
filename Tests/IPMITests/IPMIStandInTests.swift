import Foundation
import Logging
import Remote
import Testing

@testable import IPMI

/// Against a stand-in ipmitool (a shell script) that records its arguments, its environment and, for `exec`, the
/// command file's mode: what ipmitool would be handed, without a BMC.
@Suite("IPMI through a stand-in ipmitool")
struct IPMIStandInTests {
    /// A script that logs `argv …`, `env NAME=…` lines and, for `exec FILE`, `file-mode`, `folder-mode` and
    /// `file-text` lines to `log`, then exits 0.
    static func standIn() throws -> (executable: String, log: String, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-ipmi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("calls.log").path
        let script = folder.appendingPathComponent("ipmitool").path
        try """
        #!/bin/sh
        log='\(log)'
        printf 'argv %s\\n' "$*" >> "$log"
        env | sed 's/^/env /' >> "$log"
        previous=''
        for word in "$@"; do
            if [ "$previous" = exec ]; then
                printf 'file-mode %s\\n' "$(stat -c %a "$word")" >> "$log"
                printf 'folder-mode %s\\n' "$(stat -c %a "$(dirname "$word")")" >> "$log"
                printf 'file-path %s\\n' "$word" >> "$log"
                printf 'file-text %s\\n' "$(cat "$word")" >> "$log"
            fi
            previous="$word"
        done
        exit 0

        """.write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        return (script, log, folder)
    }

    @Test("configureUser: the password only in a 0600 exec file in a 0700 folder, removed after; env allow-listed")
    func configureUser() async throws {
        let (executable, log, folder) = try Self.standIn()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tool = IPMITool(
            target: IPMITarget(host: "127.0.0.1", user: "admin", password: "bmc-login-pw", executable: executable),
            runner: ProcessRunner(logger: Logger(label: "ipmi-stand-in")))
        try await tool.configureUser(id: 3, name: "hwautomation", password: "NewPass-1234")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        func values(_ tag: String) -> [String] {
            lines.filter { $0.hasPrefix(tag + " ") }.map { String($0.dropFirst(tag.count + 1)) }
        }
        #expect(values("argv").count == 5)
        #expect(!values("argv").contains { $0.contains("NewPass-1234") || $0.contains("bmc-login-pw") })
        #expect(values("file-mode") == ["600"])
        #expect(values("folder-mode") == ["700"])
        #expect(values("file-text") == ["user set password 3 NewPass-1234 20"])
        let execFile = try #require(values("file-path").first)
        #expect(
            !FileManager.default.fileExists(atPath: URL(fileURLWithPath: execFile).deletingLastPathComponent().path))
        // Every call: the login password in IPMI_PASSWORD, and nothing but the allow-list besides (dash adds PWD).
        let names = Set(values("env").compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
        #expect(values("env").filter { $0 == "IPMI_PASSWORD=bmc-login-pw" }.count == 5)
        let allowed = ProcessRunner.inheritedVariables.union(["IPMI_PASSWORD", "PWD"])
        #expect(names.subtracting(allowed).isEmpty, "unexpected: \(names.subtracting(allowed))")
    }
}

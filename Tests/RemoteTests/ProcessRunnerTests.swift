import Foundation
import Logging
import Testing

@testable import Remote

@Suite("ProcessRunner")
struct ProcessRunnerTests {
    let runner = ProcessRunner(logger: Logger(label: "test"))

    @Test("collects stdout, stderr and the exit code")
    func output() async throws {
        let output = try await runner.run(Command("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"]))
        #expect(output.termination == .exited(3))
        #expect(output.standardOutput == "out\n")
        #expect(output.standardError == "err\n")
        #expect(!output.succeeded)
    }

    @Test("feeds standard input and passes environment variables")
    func inputAndEnvironment() async throws {
        let output = try await runner.check(
            Command(
                "/bin/sh", ["-c", "read line; echo \"$line $SECRET_THING\""], environment: ["SECRET_THING": "s3cret"],
                secretEnvironment: ["SECRET_THING"], input: "hello\n"))
        #expect(output.standardOutput == "hello s3cret\n")
    }

    @Test("a secret variable never appears in the loggable command line")
    func secretsHidden() {
        let command = Command(
            "ipmitool", ["-E", "mc", "info"], environment: ["IPMI_PASSWORD": "hunter2", "LANG": "C"],
            secretEnvironment: ["IPMI_PASSWORD"])
        #expect(!command.description.contains("hunter2"))
        #expect(command.description.contains("IPMI_PASSWORD=***"))
        #expect(command.description.contains("LANG=C"))
    }

    @Test("check() turns a failure into an error carrying stderr")
    func checkFails() async {
        await #expect {
            try await runner.check(Command("/bin/sh", ["-c", "echo broken pipe >&2; exit 1"]))
        } throws: { error in
            guard let error = error as? ProcessError else { return false }
            return error.kind == .failed && error.message.contains("broken pipe")
                && error.message.contains("exit code 1")
        }
    }

    @Test("a program that is not installed is .notFound")
    func notFound() async {
        await #expect {
            try await runner.run(Command("hwa-no-such-program-\(UInt32.random(in: 0...UInt32.max))"))
        } throws: { error in
            (error as? ProcessError)?.kind == .notFound
        }
    }

    @Test("a program that outlives its timeout is stopped and reported")
    func timeout() async {
        await #expect {
            try await runner.run(Command("/bin/sleep", ["60"], timeout: .milliseconds(200)))
        } throws: { error in
            (error as? ProcessError)?.kind == .timedOut
        }
    }

    @Test("the time is up after the program ended (this process busy elsewhere): its outcome, not a timeout")
    func endedBeforeTheCheck() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-runner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let marker = folder.appendingPathComponent("pid").path
        let go = folder.appendingPathComponent("go").path
        var runner = runner
        // The time is up only once the program has ended: as when the pool that would collect its output was busy.
        runner.deadline = { _ in
            let text = try await Self.poll { try? String(contentsOfFile: marker, encoding: .utf8) }
            let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(!SpawnedProcess.hasEnded(pid), "still waiting for go")
            _ = FileManager.default.createFile(atPath: go, contents: nil)
            _ = try await Self.poll { SpawnedProcess.hasEnded(pid) ? true : nil }
        }
        let script =
            "echo $$ > '\(marker).tmp' && mv '\(marker).tmp' '\(marker)'; "
            + "while [ ! -e '\(go)' ]; do sleep 0.01; done; echo done; exit 4"
        let output = try await runner.run(Command("/bin/sh", ["-c", script], timeout: .seconds(1)))
        #expect(output.termination == .exited(4))
        #expect(output.standardOutput == "done\n")
    }

    /// What `value` gives once it gives something (checked every 10 ms; a test failure after 60 s).
    static func poll<Value>(_ value: () -> Value?) async throws -> Value {
        for _ in 0..<6000 {
            if let found = value() { return found }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CancellationError()
    }
}

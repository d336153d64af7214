import Foundation
import Logging
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs programs: the one place in HWAutomation that starts processes.
///
/// Output is collected up to `outputLimit` bytes per stream; a program that runs past its timeout is sent
/// SIGTERM and, two seconds later, SIGKILL.
///
/// A program gets only what it needs of this process's environment: the variables in `inheritedVariables` (where
/// programs are, the home folder, language, time zone, the temporary folder), plus those its `Command` passes
/// explicitly. Everything else — the database URL and password (`HWA_DATABASE_URL`, `PGPASSWORD`), MAAS keys, any
/// other `HWA_*` setting, an operator's unrelated secrets — never reaches ipmitool, ssh or a vendor tool.
public struct ProcessRunner: Sendable {
    /// The variables a program inherits from this process (when set here); nothing else is inherited.
    public static let inheritedVariables: Set<String> = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"]

    /// Bytes of standard output (and of standard error) kept.
    public var outputLimit: Int
    /// Waits out a command's timeout (tests end the wait at a moment they choose).
    var deadline: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    private let logger: Logger

    /// Creates a runner that logs each command (never secret values) at debug level.
    public init(logger: Logger, outputLimit: Int = 16 * 1024 * 1024) {
        self.logger = logger
        self.outputLimit = outputLimit
    }

    /// Runs `command` to completion and returns how it ended, whatever its exit code.
    ///
    /// The timeout is the program's: it is judged by whether the program still runs when the time is up, never by
    /// which of two tasks this process schedules first. A program that has ended is never reported as timed out,
    /// however late this process (busy with other work) gets round to collecting its output; one not yet started
    /// when the time is up gets the time once more from then.
    public func run(_ command: Command) async throws(ProcessError) -> ProcessOutput {
        logger.debug("running", metadata: ["command": "\(command)"])
        let started = ContinuousClock.now
        let spawned = SpawnedProcess()
        do {
            let output = try await withThrowingTaskGroup(of: ProcessOutput?.self) { group in
                group.addTask { try await launch(command, started: started, spawned: spawned) }
                group.addTask {
                    try await waitUntilRunningPastTimeout(spawned, command: command)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let output = first else {
                    throw ProcessError(
                        kind: .timedOut, command: "\(command)",
                        message: "did not finish within \(command.timeout) and was stopped.")
                }
                return output
            }
            logger.debug(
                "finished",
                metadata: ["command": "\(command.executable)", "termination": "\(output.termination)"])
            return output
        } catch let error as ProcessError {
            throw error
        } catch {
            throw classify(error, command: command)
        }
    }

    /// Returns once `spawned` runs past the command's timeout. When the time is up and the program has ended, the
    /// launch delivers the program's outcome (the group then cancels this wait); only if it still has not after a
    /// generous grace (the timeout again, a minute at least) is that reported, as an output that was not collected.
    private func waitUntilRunningPastTimeout(_ spawned: SpawnedProcess, command: Command) async throws {
        try await deadline(command.timeout)
        if case .notStarted = spawned.state {
            // Not started yet (this process was busy): the program gets its time from now.
            try await deadline(command.timeout)
        }
        guard case .running(let pid) = spawned.state, SpawnedProcess.hasEnded(pid) else { return }
        let grace = max(command.timeout, .seconds(60))
        try await Task.sleep(for: grace)
        throw ProcessError(
            kind: .timedOut, command: "\(command)",
            message: "ended, but its output was not collected within \(grace) more (this process is overloaded).")
    }

    /// Runs `command` and returns its output only when it exited 0; otherwise throws `.failed` with its stderr.
    public func check(_ command: Command) async throws(ProcessError) -> ProcessOutput {
        let output = try await run(command)
        guard output.succeeded else {
            let detail = output.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            throw ProcessError(
                kind: .failed, command: "\(command)",
                message: "ended with \(output.termination)" + (detail.isEmpty ? "." : ": \(detail)"), output: output)
        }
        return output
    }

    private func launch(_ command: Command, started: ContinuousClock.Instant, spawned: SpawnedProcess) async throws
        -> ProcessOutput
    {
        let executable: Executable =
            command.executable.contains("/") ? .path(FilePath(command.executable)) : .name(command.executable)
        var options = PlatformOptions()
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .seconds(2))]
        let environment = Environment.custom(
            Dictionary(
                uniqueKeysWithValues: Self.childEnvironment(for: command).map {
                    (Environment.Key(stringLiteral: $0.key), $0.value)
                }))
        let directory = command.workingDirectory.map { FilePath($0) }
        let status: TerminationStatus
        var standardOutput = ""
        var standardError = ""
        if command.discardOutput {
            status = try await Subprocess.run(
                executable, arguments: Arguments(command.arguments), environment: environment,
                workingDirectory: directory, platformOptions: options, input: .string(command.input ?? ""),
                output: .discarded, error: .discarded
            ) { execution in spawned.started(execution.processIdentifier.value) }.terminationStatus
        } else {
            let result = try await Subprocess.run(
                executable, arguments: Arguments(command.arguments), environment: environment,
                workingDirectory: directory, platformOptions: options, input: .string(command.input ?? ""),
                output: .string(limit: outputLimit), error: .string(limit: outputLimit)
            ) { execution in spawned.started(execution.processIdentifier.value) }
            status = result.terminationStatus
            standardOutput = result.standardOutput
            standardError = result.standardError
        }
        let termination: ProcessOutput.Termination
        switch status {
        case .exited(let code): termination = .exited(code)
        case .signaled(let signal): termination = .signaled(signal)
        }
        return ProcessOutput(
            termination: termination, standardOutput: standardOutput, standardError: standardError,
            duration: ContinuousClock.now - started)
    }

    /// The whole environment `command` runs with: the allow-listed variables `parent` has, then the command's own
    /// (which win).
    public static func childEnvironment(
        for command: Command, parent: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String: String] {
        parent.filter { inheritedVariables.contains($0.key) }.merging(command.environment) { $1 }
    }

    private func classify(_ error: any Error, command: Command) -> ProcessError {
        let text = "\(error)"
        if text.contains("executableNotFound") || text.contains("not found") || text.contains("No such file") {
            return ProcessError(
                kind: .notFound, command: "\(command)",
                message: "`\(command.executable)` is not installed or not on PATH.")
        }
        return ProcessError(kind: .launchFailed, command: "\(command)", message: "could not be started: \(text).")
    }
}

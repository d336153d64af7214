import Foundation
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// A program started by `ProcessRunner.withBackground(_:readyWithin:stopWithin:_:)`, running while its body does.
public struct BackgroundProcess: Sendable {
    /// Its process id (for `/proc/<pid>/stat`, never for signals: the runner stops it).
    public var pid: Int32
    /// The first line it wrote on standard output: its announcement that it is ready.
    public var readyLine: String
}

/// How a background program ended, and what it cost.
public struct BackgroundOutcome<Value: Sendable>: Sendable {
    /// What the body returned.
    public var value: Value
    /// How the program ended after it was asked to stop.
    public var termination: ProcessOutput.Termination
    /// The CPU time (user + system) the program used over its whole life, read from this process's reaped
    /// children (`getrusage(RUSAGE_CHILDREN)`) around it: another child reaped meanwhile would count too.
    public var cpuSeconds: Double
    /// What it wrote on standard error (64 KiB at most).
    public var standardError: String
}

extension ProcessRunner {
    /// Runs `command` (a server, such as `hwautomation lab serve --json`) for as long as `body` runs: waits at most
    /// `readyWithin` for the first line of its standard output, hands that line and the program's pid to `body`,
    /// and, however `body` ends (a value, an error, cancellation), stops the program: SIGTERM, then SIGKILL when
    /// it has not exited within `stopWithin`. The rest of its standard output is read and discarded, so it never
    /// blocks on a full pipe; its standard error is kept for the error a person reads when it fails.
    ///
    /// Throws `ProcessError` when the program cannot start, ends or stays silent before its first line (with what
    /// it wrote on standard error), or when `body` throws (its error, after the program is stopped).
    public func withBackground<Value: Sendable>(
        _ command: Command, readyWithin: Duration = .seconds(60), stopWithin: Duration = .seconds(15),
        _ body: @escaping @Sendable (BackgroundProcess) async throws -> Value
    ) async throws -> BackgroundOutcome<Value> {
        let executable: Executable =
            command.executable.contains("/") ? .path(FilePath(command.executable)) : .name(command.executable)
        var options = PlatformOptions()
        // Used when `body` throws or the task is cancelled: Subprocess then stops the program itself.
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: stopWithin)]
        let environment = Environment.custom(
            Dictionary(
                uniqueKeysWithValues: Self.childEnvironment(for: command).map {
                    (Environment.Key(stringLiteral: $0.key), $0.value)
                }))
        let childrenBefore = Self.childrenCPUSeconds()
        let value: Value?
        let status: TerminationStatus
        let standardError: String
        do {
            let result = try await Subprocess.run(
                executable, arguments: Arguments(command.arguments), environment: environment,
                workingDirectory: command.workingDirectory.map { FilePath($0) }, platformOptions: options,
                input: .none, output: .sequence, error: .string(limit: 64 * 1024)
            ) { execution -> Value? in
                try await Self.supervise(
                    execution, readyWithin: readyWithin, stopWithin: stopWithin, command: command, body)
            }
            (value, status, standardError) = (result.closureResult, result.terminationStatus, result.standardError)
        } catch let error as ProcessError {
            throw error
        } catch let error as SubprocessError {
            throw ProcessError(
                kind: .launchFailed, command: "\(command)", message: "could not be started or watched: \(error).")
        }
        let cpu = Self.childrenCPUSeconds() - childrenBefore
        let termination: ProcessOutput.Termination
        switch status {
        case .exited(let code): termination = .exited(code)
        case .signaled(let signal): termination = .signaled(signal)
        }
        guard let value else {
            let detail = standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            throw ProcessError(
                kind: .failed, command: "\(command)",
                message: "ended with \(termination) before it said it was ready"
                    + (detail.isEmpty ? " (nothing on standard error)." : ": \(detail)"))
        }
        return BackgroundOutcome(value: value, termination: termination, cpuSeconds: cpu, standardError: standardError)
    }

    /// Reads the program's first line (nil when it ends first), runs `body`, then stops the program.
    private static func supervise<Value: Sendable>(
        _ execution: Execution<NoInput, SequenceOutput, StringOutput<UTF8>>, readyWithin: Duration,
        stopWithin: Duration, command: Command, _ body: @escaping @Sendable (BackgroundProcess) async throws -> Value
    ) async throws -> Value? {
        let (firstLine, announce) = AsyncStream.makeStream(of: String.self)
        return try await withThrowingTaskGroup(of: Value?.self) { group in
            // The reader: the whole of standard output, until the program closes it (it ends); only the first
            // line matters.
            group.addTask {
                defer { announce.finish() }
                var first = true
                // A read cut short (Subprocess cancels its I/O when the program ends) is the end of the output.
                do {
                    for try await line in execution.standardOutput.strings() where first {
                        announce.yield(line)
                        first = false
                        announce.finish()
                    }
                } catch {}
                return nil
            }
            let outcome: Result<Value?, any Error>
            do {
                let ready = try await withThrowingTaskGroup(of: String?.self) { wait in
                    wait.addTask { await firstLine.first { _ in true } }
                    wait.addTask {
                        try await Task.sleep(for: readyWithin)
                        throw ProcessError(
                            kind: .timedOut, command: "\(command)",
                            message: "said nothing on standard output within \(readyWithin) and was stopped.")
                    }
                    defer { wait.cancelAll() }
                    return try await wait.next() ?? nil
                }
                // nil: it ended before its first line; the caller reports how, with its standard error.
                if let ready {
                    outcome = .success(
                        try await body(BackgroundProcess(pid: execution.processIdentifier.value, readyLine: ready)))
                } else {
                    outcome = .success(nil)
                }
            } catch {
                outcome = .failure(error)
            }
            // Stopped however the body ended (a program that already ended is a zombie until Subprocess reaps it
            // after this returns: the signal reaches no other process).
            try? execution.send(signal: .terminate)
            // The reader finishes when the program exits (its standard output closes): SIGKILL if that takes longer
            // than `stopWithin`.
            group.addTask {
                try? await Task.sleep(for: stopWithin)
                if !Task.isCancelled { try? execution.send(signal: .kill) }
                return nil
            }
            _ = try await group.next()
            group.cancelAll()
            return try outcome.get()
        }
    }

    /// CPU seconds (user + system) of this process's children that have ended and been reaped.
    public static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// CPU seconds (user + system) a running process `pid` has used so far, from `/proc/<pid>/stat` (Linux; nil
    /// elsewhere, or once the process is gone).
    public static func cpuSeconds(ofProcess pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After the command name in parentheses: state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (user + system) / (ticks > 0 ? ticks : 100)
    }
}

import Foundation
import Logging
import Remote

/// Runs ipmitool against one BMC, out of band or in band, and reads what it prints.
///
/// Out of band: `ipmitool -I lanplus -H host -p port -U user -E -C suite -N timeout -R retries …` with the password in
/// `IPMI_PASSWORD`; cipher suite 17 first, then 3 (remembered once one works). In band: `sudo -n ipmitool …` through
/// the host's shell (SSH), no credentials needed.
public actor IPMITool {
    enum Mode {
        case lan(IPMITarget)
        case inBand(any RemoteShell)
    }

    private let mode: Mode
    private let runner: ProcessRunner
    private var workingSuite: Int?

    /// Out of band through `runner`.
    public init(target: IPMITarget, runner: ProcessRunner) {
        mode = .lan(target)
        self.runner = runner
    }

    /// In band through the host's shell.
    public init(host: any RemoteShell, runner: ProcessRunner) {
        mode = .inBand(host)
        self.runner = runner
    }

    /// The BMC as errors name it.
    public nonisolated var bmc: String {
        switch mode {
        case .lan(let target): return target.description
        case .inBand(let host): return "in-band \(host.targetDescription)"
        }
    }

    /// Runs `ipmitool <arguments>` and returns its standard output; failures are classified.
    public func run(_ arguments: [String], timeout: Duration = .seconds(60)) async throws(IPMIError) -> String {
        switch mode {
        case .inBand(let host):
            let command = (["ipmitool"] + arguments).map(Self.quote).joined(separator: " ")
            let output: ProcessOutput
            do {
                output = try await host.run(command, root: true, timeout: timeout)
            } catch {
                throw IPMIError(kind: .unreachable, bmc: bmc, message: error.description)
            }
            return try check(output)
        case .lan(let target):
            let suites = workingSuite.map { [$0] } ?? target.cipherSuites
            var lastError: IPMIError?
            for suite in suites {
                let command = Command(
                    target.executable,
                    [
                        "-I", "lanplus", "-H", target.host, "-p", String(target.port), "-U", target.user, "-E", "-C",
                        String(suite),
                        "-N", String(target.timeoutSeconds), "-R", String(target.retries),
                    ] + arguments, environment: ["IPMI_PASSWORD": target.password],
                    secretEnvironment: ["IPMI_PASSWORD"],
                    timeout: timeout)
                let output: ProcessOutput
                do {
                    output = try await runner.run(command)
                } catch {
                    throw IPMIError(
                        kind: error.kind == .notFound ? .toolMissing : .unreachable, bmc: bmc,
                        message: error.kind == .notFound
                            ? "ipmitool is not installed (Debian: apt-get install ipmitool)" : error.message)
                }
                do {
                    let text = try check(output)
                    workingSuite = suite
                    return text
                } catch let error where Self.isCipherProblem(output.standardError) && suite != suites.last {
                    lastError = error
                    continue
                }
            }
            throw lastError ?? IPMIError(kind: .failed, bmc: bmc, message: "no cipher suite worked")
        }
    }

    private func check(_ output: ProcessOutput) throws(IPMIError) -> String {
        guard output.succeeded else {
            let text = (output.standardError + output.standardOutput).trimmingCharacters(in: .whitespacesAndNewlines)
            throw IPMIError(
                kind: Self.classify(text, exit: output.termination), bmc: bmc,
                message: text.isEmpty ? "ipmitool failed (\(output.termination))" : text)
        }
        return output.standardOutput
    }

    static func classify(_ text: String, exit: ProcessOutput.Termination) -> IPMIError.Kind {
        let lowered = text.lowercased()
        if exit == .exited(127) || lowered.contains("command not found") { return .toolMissing }
        if lowered.contains("rakp") || lowered.contains("unauthorized name")
            || lowered.contains("password") && lowered.contains("invalid")
            || lowered.contains("insufficient privilege")
        {
            return .authentication
        }
        if lowered.contains("invalid command") || lowered.contains("not supported")
            || lowered.contains("invalid data field")
        {
            return .unsupported
        }
        if lowered.contains("unable to establish") || lowered.contains("timeout") || lowered.contains("no response")
            || lowered.contains("could not open device")
        {
            return .unreachable
        }
        return .failed
    }

    static func isCipherProblem(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.contains("cipher suite") || lowered.contains("unable to establish") && !lowered.contains("rakp")
    }

    private static func quote(_ word: String) -> String {
        word.allSatisfy { $0.isLetter || $0.isNumber || "-_.=,:/".contains($0) }
            ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

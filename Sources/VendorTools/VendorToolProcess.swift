import Foundation
import Logging
import Remote

/// Starts one vendor tool for one BMC through the `ProcessRunner`: turns a missing program, a timeout or a non-zero
/// exit into a `VendorToolError` naming the tool, the BMC and the tool's trimmed standard error, and keeps the
/// password out of every message (it is replaced by `***` should a tool ever echo it).
struct VendorToolProcess: Sendable {
    /// Which tool.
    var kind: VendorToolKind
    /// The program: a path, or a name on `PATH`.
    var executable: String
    /// The BMC.
    var host: String
    /// The BMC user the tool logs in as.
    var user: String
    /// The BMC password: handed to the tool by its non-argv channel, and kept out of messages.
    var password: String
    /// The one subprocess runner.
    var runner: ProcessRunner
    /// Where the tool's steps are logged.
    var logger: Logger
    /// The longest one run may take.
    var timeout: Duration
    /// Variables set for the tool (blanked ones: an inherited variable holding the password is not handed on).
    var environment: [String: String] = [:]

    /// A tool for one BMC; variables in `blanking` (one that holds the password, say) reach it empty.
    init(
        kind: VendorToolKind, executable: String, host: String, user: String, password: String, runner: ProcessRunner,
        logger: Logger, timeout: Duration, blanking: Set<String> = []
    ) {
        self.kind = kind
        self.executable = executable
        self.host = host
        self.user = user
        self.password = password
        self.runner = runner
        self.logger = logger
        self.timeout = timeout
        environment = Dictionary(uniqueKeysWithValues: blanking.map { ($0, "") })
    }

    /// Runs the tool with `arguments` (never a secret) and `input` on standard input; returns its output when it
    /// exits 0. `step` names the operation in errors (`GetCurrentBiosCfg`, `commit`).
    func run(_ step: String, _ arguments: [String], input: String? = nil) async throws(VendorToolError) -> ProcessOutput
    {
        guard !password.contains(where: \.isNewline) else {
            throw failure(
                .notConfigured,
                "the BMC password contains a line break, which cannot be handed to \(kind.rawValue) on one line; "
                    + "change the password")
        }
        let command = Command(executable, arguments, environment: environment, input: input, timeout: timeout)
        let output: ProcessOutput
        do {
            output = try await CrashPoint.during(CrashPoint.vendorTool) { () async throws(ProcessError) in
                try await runner.run(command)
            }
        } catch {
            switch error.kind {
            case .notFound, .launchFailed:
                throw failure(
                    .notInstalled,
                    "`\(executable)` is not installed or cannot be started; install \(kind.rawValue) or set its path "
                        + "under `tools:` in the vendor's catalog file (\(redact(error.message)))")
            case .timedOut:
                throw failure(.timedOut, "\(step) did not finish within \(timeout) and was stopped")
            case .failed:
                throw failure(.failed, "\(step) failed: \(redact(error.message))")
            }
        }
        guard output.succeeded else {
            let stderr = output.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            let detail = stderr.isEmpty ? output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) : stderr
            throw VendorToolError(
                kind: .failed, tool: kind.rawValue, host: host,
                message: "\(step) ended with \(output.termination)", standardError: redact(detail))
        }
        return output
    }

    /// Why the program cannot be started: a path that is no executable file, or a name on no `PATH` directory; nil
    /// when it is there.
    func missingProgram() -> VendorToolError? {
        let found: Bool
        if executable.contains("/") {
            found = FileManager.default.isExecutableFile(atPath: executable)
        } else {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
            found = path.split(separator: ":").contains {
                FileManager.default.isExecutableFile(atPath: "\($0)/\(executable)")
            }
        }
        guard !found else { return nil }
        return failure(
            .notInstalled,
            "`\(executable)` is not installed or not on PATH; install \(kind.rawValue) or set its path under `tools:` "
                + "in the vendor's catalog file (or --vendor-tool-path)")
    }

    /// An error of this tool on this BMC.
    func failure(_ kind: VendorToolError.Kind, _ message: String) -> VendorToolError {
        VendorToolError(kind: kind, tool: self.kind.rawValue, host: host, message: redact(message))
    }

    /// `text` with the password replaced by `***`.
    func redact(_ text: String) -> String {
        password.isEmpty ? text : text.replacingOccurrences(of: password, with: "***")
    }

    /// Runs `body` with a new directory only this user can enter (0700, under the temporary directory), removed with
    /// everything in it afterwards whatever happens.
    func withPrivateDirectory<T>(_ body: (URL) async throws(VendorToolError) -> T) async throws(VendorToolError) -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "hwa-\(kind.rawValue)-\(UUID().uuidString)")
        do throws(SecretFileError) {
            try SecretFile.makeDirectory(directory.path, exclusive: true)
        } catch {
            throw failure(.localFiles, "cannot create a private working directory: \(error)")
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }

    /// Creates `file` (new) with `text`, readable by this user only (0600 from its first instant; `SecretFile`).
    func writePrivateFile(_ file: URL, _ text: String) throws(VendorToolError) {
        do throws(SecretFileError) {
            try SecretFile.create(Data(text.utf8), at: file.path)
        } catch {
            throw failure(.localFiles, "cannot write the private file: \(error)")
        }
    }
}

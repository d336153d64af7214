import Foundation
import Logging

/// Where and how to reach a host over SSH.
public struct SSHTarget: Sendable, Hashable, CustomStringConvertible {
    /// Host name or address.
    public var host: String
    /// TCP port.
    public var port: Int
    /// Login user; commands that need root run under `sudo -n` when this is not `root`.
    public var user: String
    /// Private key file; nil to use the agent or the user's default keys.
    public var keyFile: String?
    /// The known_hosts file HWAutomation manages: a host's first key is recorded, a changed key is refused.
    public var knownHostsFile: String
    /// Seconds to wait for the TCP connection.
    public var connectTimeoutSeconds: Int

    /// Creates a target.
    public init(
        host: String, port: Int = 22, user: String = "root", keyFile: String? = nil, knownHostsFile: String,
        connectTimeoutSeconds: Int = 10
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.keyFile = keyFile
        self.knownHostsFile = knownHostsFile
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }

    /// `user@host:port`.
    public var description: String { "\(user)@\(host):\(port)" }

    /// The default known_hosts file: `$HWA_STATE_DIR/known_hosts`, else `~/.local/share/hwautomation/known_hosts`.
    public static func defaultKnownHostsFile(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String
    {
        if let state = environment["HWA_STATE_DIR"], !state.isEmpty { return state + "/known_hosts" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/hwautomation/known_hosts"
    }
}

/// An SSH command failed for a reason worth naming.
public struct SSHError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable {
        /// The host's key differs from the recorded one: possibly a reinstalled host, possibly an attack.
        case hostKeyChanged
        /// The key or user was refused.
        case authenticationFailed
        /// No connection (refused, timed out, no route, name not known).
        case unreachable
        /// The command ran and failed, or ran too long.
        case commandFailed
    }

    /// The kind.
    public var kind: Kind
    /// The target.
    public var target: String
    /// A sentence saying what happened and what to do.
    public var message: String
    /// The connection or the command ran out of time (the host may be busy or still booting).
    public var timedOut = false

    /// Worth trying again later: the connection or the command timed out. A changed host key, a refused key, a
    /// refused connection and a command that failed are not.
    public var isTransient: Bool { timedOut }

    /// An error of `kind`.
    public init(kind: Kind, target: String, message: String, timedOut: Bool = false) {
        self.kind = kind
        self.target = target
        self.message = message
        self.timedOut = timedOut
    }

    /// `target: message`.
    public var description: String { "\(target): \(message)" }
}

/// One multiplexed OpenSSH connection to a host: the first use opens a master connection (ControlMaster),
/// every command after that reuses it, and `close()` ends it.
///
/// OpenSSH runs as a subprocess through `ProcessRunner`, in BatchMode (never prompts), with the project's
/// known_hosts file (`StrictHostKeyChecking=accept-new`).
public actor SSHSession {
    /// The host.
    public nonisolated let target: SSHTarget
    private let runner: ProcessRunner
    private let logger: Logger
    private let controlDirectory: String
    private var masterOpen = false
    /// What ssh needs of this process's environment beyond `ProcessRunner.inheritedVariables`: the agent's socket
    /// (`SSH_AUTH_SOCK`), for keys held by an agent rather than in a file.
    private let agentEnvironment: [String: String]

    /// Creates a session; nothing connects until the first command.
    public init(target: SSHTarget, runner: ProcessRunner, logger: Logger) throws(SSHError) {
        self.target = target
        self.runner = runner
        self.logger = logger
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "hwa-ssh-\(UUID().uuidString.prefix(8))")
        do throws(SecretFileError) {
            try SecretFile.makeDirectory(directory.path, exclusive: true)
            try SecretFile.makeDirectory(
                URL(fileURLWithPath: target.knownHostsFile).deletingLastPathComponent().path)
        } catch {
            throw SSHError(
                kind: .unreachable, target: target.description, message: "cannot prepare SSH state: \(error)")
        }
        controlDirectory = directory.path
        agentEnvironment = ProcessInfo.processInfo.environment["SSH_AUTH_SOCK"].map { ["SSH_AUTH_SOCK": $0] } ?? [:]
    }

    private var controlPath: String { controlDirectory + "/cm" }

    private func options(master: Bool) -> [String] {
        var options = [
            "-p", String(target.port), "-o", "BatchMode=yes", "-o", "UserKnownHostsFile=\(target.knownHostsFile)",
            "-o", "StrictHostKeyChecking=accept-new", "-o", "ConnectTimeout=\(target.connectTimeoutSeconds)",
            "-o", "ServerAliveInterval=15", "-o", "ControlPath=\(controlPath)",
            "-o", master ? "ControlMaster=yes" : "ControlMaster=no",
        ]
        if let key = target.keyFile { options += ["-i", key, "-o", "IdentitiesOnly=yes"] }
        return options
    }

    /// Opens the master connection (once). Its log goes to a file, since `ssh -f` leaves a process holding stderr.
    private func openMaster() async throws(SSHError) {
        guard !masterOpen else { return }
        let log = controlDirectory + "/master.log"
        let command = Command(
            "ssh",
            ["-M", "-N", "-f", "-E", log, "-o", "ControlPersist=300"] + options(master: true) + [
                "\(target.user)@\(target.host)"
            ],
            environment: agentEnvironment, timeout: .seconds(Int64(target.connectTimeoutSeconds + 20)),
            discardOutput: true)
        let output: ProcessOutput
        do {
            output = try await runner.run(command)
        } catch {
            throw SSHError(
                kind: .unreachable, target: target.description, message: error.message,
                timedOut: error.kind == .timedOut)
        }
        guard output.succeeded else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw Self.classify(text, target: target)
        }
        masterOpen = true
        logger.debug("ssh master open", metadata: ["target": "\(target)"])
    }

    /// Runs `command` on the host through the shared connection; `root` adds `sudo -n` for non-root users.
    /// A non-zero exit is returned, not thrown; connection problems are thrown.
    public func run(_ command: String, root: Bool = false, timeout: Duration = .seconds(120)) async throws(SSHError)
        -> ProcessOutput
    {
        try await openMaster()
        let remote = root && target.user != "root" ? "sudo -n \(command)" : command
        let output: ProcessOutput
        do {
            output = try await runner.run(
                Command(
                    "ssh",
                    options(master: false) + ["-o", "LogLevel=ERROR", "\(target.user)@\(target.host)", "--", remote],
                    environment: agentEnvironment, timeout: timeout))
        } catch {
            throw SSHError(
                kind: .commandFailed, target: target.description, message: "`\(command)`: \(error.message)",
                timedOut: error.kind == .timedOut)
        }
        if output.termination == .exited(255) {
            throw Self.classify(output.standardError, target: target)
        }
        return output
    }

    /// Ends the master connection and removes the control socket's folder.
    public func close() async {
        if masterOpen {
            _ = try? await runner.run(
                Command(
                    "ssh", options(master: false) + ["-O", "exit", "\(target.user)@\(target.host)"],
                    environment: agentEnvironment, timeout: .seconds(10), discardOutput: true))
            masterOpen = false
        }
        try? FileManager.default.removeItem(atPath: controlDirectory)
    }

    static func classify(_ stderr: String, target: SSHTarget) -> SSHError {
        let text = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") || text.contains("Host key verification failed") {
            return SSHError(
                kind: .hostKeyChanged, target: target.description,
                message:
                    "the host key differs from the one recorded in \(target.knownHostsFile). If the host was reinstalled, check the new key and run `ssh-keygen -R '[\(target.host)]:\(target.port)' -f \(target.knownHostsFile)`; otherwise treat it as an attack."
            )
        }
        if text.contains("Permission denied") {
            return SSHError(
                kind: .authenticationFailed, target: target.description,
                message: "the key was refused for user \(target.user) (\(text.split(separator: "\n").last ?? ""))")
        }
        let last = text.split(separator: "\n").last.map(String.init) ?? "ssh exited 255"
        // ssh's own words for a connection that ran out of time ("Connection timed out", "Operation timed out").
        return SSHError(
            kind: .unreachable, target: target.description, message: "cannot connect: \(last)",
            timedOut: last.localizedCaseInsensitiveContains("timed out"))
    }
}

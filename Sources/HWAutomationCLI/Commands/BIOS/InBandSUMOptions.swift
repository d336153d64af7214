import ArgumentParser
import Foundation
import Logging
import Remote

/// The host for SUM in band (`bios apply` on a Supermicro BMC without its out-of-band licence): SSH as the workflow
/// reaches it (root unless `user@` says otherwise; SUM runs under `sudo -n` when the user is not root).
struct InBandSUMOptions: ParsableArguments {
    @Option(
        name: .customLong("ssh"),
        help: ArgumentHelp(
            "The host, for SUM in band when the BMC lacks its out-of-band licence.", valueName: "user@host"))
    var destination: String?

    @Option(name: .customLong("ssh-port"), help: "SSH port.") var port = 22

    @Option(name: .customLong("ssh-key"), help: ArgumentHelp("SSH private key file.", valueName: "file"))
    var key: String?

    @Option(name: .customLong("known-hosts"), help: ArgumentHelp("known_hosts file.", valueName: "file"))
    var knownHosts: String?

    @Option(name: .customLong("sum-path"), help: ArgumentHelp("SUM on the host.", valueName: "path"))
    var sum = "sum"

    /// An SSH session to the host; nil without `--ssh`.
    func session(logger: Logger) throws -> SSHSession? {
        guard let destination else { return nil }
        let parts = destination.split(separator: "@", maxSplits: 1)
        let (user, host) = parts.count == 2 ? (String(parts[0]), String(parts[1])) : ("root", destination)
        let target = SSHTarget(
            host: host, port: port, user: user, keyFile: key,
            knownHostsFile: knownHosts ?? SSHTarget.defaultKnownHostsFile())
        return try SSHSession(target: target, runner: ProcessRunner(logger: logger), logger: logger)
    }
}

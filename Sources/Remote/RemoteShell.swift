/// Something that runs shell commands on a host: an SSH session, or a simulated host in the lab.
public protocol RemoteShell: Sendable {
    /// Where the commands run, as errors name it.
    var targetDescription: String { get }

    /// Runs `command` (as root when `root`); a non-zero exit is returned, connection problems are thrown.
    func run(_ command: String, root: Bool, timeout: Duration) async throws(SSHError) -> ProcessOutput

    /// Ends the connection (an SSH session's control master); nothing for a shell without one.
    func close() async
}

extension RemoteShell {
    /// Nothing to end.
    public func close() async {}
}

extension SSHSession: RemoteShell {
    /// `user@host:port`.
    public nonisolated var targetDescription: String { target.description }
}

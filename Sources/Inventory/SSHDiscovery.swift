import Foundation
import Remote

/// Collects the discovery outputs from a host over one SSH connection (or any `RemoteShell`).
public struct SSHDiscovery: Sendable {
    /// The commands run, and whether each needs root.
    public static let commands: [(file: DiscoveryBundle.File, command: String, root: Bool)] = [
        (.dmidecode, "dmidecode", true),
        (.lscpuJSON, "lscpu -J", false),
        (.free, "free -b", false),
        (.lsblk, "lsblk -J -b -d -o NAME,SIZE,MODEL,ROTA,TRAN,SERIAL,TYPE", false),
        (.ipAddr, "ip -j addr", false),
        (
            .netSpeed,
            #"for f in /sys/class/net/*/speed; do printf '%s %s\n' "$f" "$(cat "$f" 2>/dev/null || echo -1)"; done"#,
            false
        ),
        (.lshw, "lshw -json -quiet", true),
        (.ipmitoolLan, "ipmitool lan print 1", true),
    ]

    /// Where the commands run: an SSH session, or a lab host.
    public let session: any RemoteShell

    /// Creates a discovery over `session`.
    public init(session: any RemoteShell) {
        self.session = session
    }

    /// Runs every command; outputs of commands that succeeded form the bundle, the others become problems.
    /// Connection failures (unreachable, refused key, changed host key) are thrown.
    public func collect() async throws(SSHError) -> (bundle: DiscoveryBundle, problems: [InventoryProblem]) {
        var bundle = DiscoveryBundle()
        var problems: [InventoryProblem] = []
        for (file, command, root) in Self.commands {
            var output = try await session.run(command, root: root, timeout: .seconds(120))
            if file == .lscpuJSON, !output.succeeded {
                // util-linux before 2.30 has no -J.
                output = try await session.run("lscpu", root: false, timeout: .seconds(60))
                if output.succeeded {
                    bundle.outputs[.lscpuText] = output.standardOutput
                    continue
                }
            }
            guard output.succeeded else {
                let detail = output.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
                let reason =
                    output.termination == .exited(127)
                    ? "not installed on the host" : "\(output.termination): \(detail)"
                problems.append(
                    InventoryProblem(
                        source: file.rawValue, message: "`\(command)` failed: \(reason)",
                        section: InventorySection(file)))
                continue
            }
            bundle.outputs[file] = output.standardOutput
        }
        return (bundle, problems)
    }
}

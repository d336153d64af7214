import Inventory
import Remote

/// The in-band side of a lab server: answers the discovery commands with tool output rendered from its
/// `ServerModel`, so SSH discovery runs at lab scale without sshd (real sshd stays the proof for the transport).
public struct SimulatedHost: RemoteShell {
    /// The server.
    public let server: ServerModel
    /// A host answering for `server`.
    public init(server: ServerModel) {
        self.server = server
    }

    /// `lab:<serial>`.
    public var targetDescription: String { "lab:\(server.serial)" }

    /// The output a real host of this model would print; exit 127 for commands it does not know.
    public func run(_ command: String, root: Bool, timeout: Duration) async throws(SSHError) -> ProcessOutput {
        let outputs = server.discoveryBundle().outputs
        let text: String?
        switch command {
        case "dmidecode": text = outputs[.dmidecode]
        case "lscpu -J": text = outputs[.lscpuJSON]
        case "free -b": text = outputs[.free]
        case let command where command.hasPrefix("lsblk "): text = outputs[.lsblk]
        case "ip -j addr": text = outputs[.ipAddr]
        case let command where command.contains("/sys/class/net/"): text = outputs[.netSpeed]
        case "ipmitool lan print 1": text = outputs[.ipmitoolLan]
        case "ipmitool mc info": text = server.ipmitoolMCInfo()
        default: text = nil
        }
        guard let text else {
            let name = command.split(separator: " ").first.map(String.init) ?? command
            return ProcessOutput(
                termination: .exited(127), standardOutput: "", standardError: "sh: \(name): command not found\n",
                duration: .zero)
        }
        return ProcessOutput(termination: .exited(0), standardOutput: text, standardError: "", duration: .zero)
    }
}

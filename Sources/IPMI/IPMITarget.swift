/// A BMC reached over IPMI: out of band (`-I lanplus`) with a user and password, or in band through the host.
public struct IPMITarget: Sendable, CustomStringConvertible {
    /// Address.
    public var host: String
    /// UDP port.
    public var port: Int
    /// User.
    public var user: String
    /// Password: passed to ipmitool in `IPMI_PASSWORD` (`-E`), never on its command line.
    public var password: String
    /// Cipher suites to try, in order (17 first; OpenIPMI's ipmi_sim and older BMCs only have 3).
    public var cipherSuites: [Int]
    /// Seconds per attempt (`-N`).
    public var timeoutSeconds: Int
    /// Retries (`-R`).
    public var retries: Int
    /// The ipmitool program (a name on PATH, or a path).
    public var executable: String

    /// Creates a target.
    public init(
        host: String, port: Int = 623, user: String, password: String, cipherSuites: [Int] = [17, 3],
        timeoutSeconds: Int = 2,
        retries: Int = 2, executable: String = "ipmitool"
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.cipherSuites = cipherSuites
        self.timeoutSeconds = timeoutSeconds
        self.retries = retries
        self.executable = executable
    }

    /// `host:port`.
    public var description: String { "\(host):\(port)" }
}

/// An IPMI operation failed.
public struct IPMIError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable {
        /// The BMC refused the user or password.
        case authentication
        /// No answer.
        case unreachable
        /// The BMC does not support the command.
        case unsupported
        /// ipmitool is not installed.
        case toolMissing
        /// The answer could not be read.
        case invalidOutput
        /// Anything else ipmitool reported.
        case failed
    }

    /// The kind.
    public var kind: Kind
    /// The BMC (`host:port`, or `in-band <host>`).
    public var bmc: String
    /// A sentence saying what happened.
    public var message: String

    /// Creates an error.
    public init(kind: Kind, bmc: String, message: String) {
        self.kind = kind
        self.bmc = bmc
        self.message = message
    }

    /// `bmc: message`.
    public var description: String { "\(bmc): \(message)" }
}

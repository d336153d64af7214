import Logging
import Remote

/// What SUM, iLOrest and racadm drivers share: one `VendorToolProcess` (the program, the BMC, the login) that every
/// run goes through, and how one is made.
protocol VendorToolDriver: VendorBIOSTool {
    /// Which tool.
    static var toolKind: VendorToolKind { get }
    /// How long one run may take unless the catalog says otherwise.
    static var defaultTimeout: Duration { get }
    /// The tool for one BMC.
    var process: VendorToolProcess { get }
    /// A driver over `process`.
    init(process: VendorToolProcess)
}

extension VendorToolDriver {
    /// The tool at `executable` (from the catalog) for the BMC at `host`, logging in as `user`; variables in
    /// `blanking` (one that holds the password, say) reach it empty.
    init(
        executable: String, host: String, user: String, password: String, runner: ProcessRunner, logger: Logger,
        timeout: Duration = Self.defaultTimeout, blanking: Set<String> = []
    ) {
        self.init(
            process: VendorToolProcess(
                kind: Self.toolKind, executable: executable, host: host, user: user, password: password,
                runner: runner, logger: logger, timeout: timeout, blanking: blanking))
    }

    var user: String { process.user }
    var password: String { process.password }
    var logger: Logger { process.logger }
}

import Foundation

/// A program to run: what, with which arguments and environment, fed what, for how long at most.
///
/// Secrets never go in `arguments` (they show in `ps`); pass them in `environment` and name the variable in
/// `secretEnvironment` so that it is never logged (ipmitool's `-E` reads `IPMI_PASSWORD`, for example).
public struct Command: Sendable, Hashable, CustomStringConvertible {
    /// A program name looked up on `PATH`, or a path.
    public var executable: String
    /// Arguments, without the program name.
    public var arguments: [String]
    /// Variables set for the program: with `ProcessRunner.inheritedVariables` (`PATH`, `HOME`, …), its whole
    /// environment; nothing else of this process's environment reaches it.
    public var environment: [String: String]
    /// Names of variables in `environment` whose values are secret.
    public var secretEnvironment: Set<String>
    /// Text written to standard input, then closed.
    public var input: String?
    /// The longest the program may run before it is stopped (SIGTERM, then SIGKILL).
    public var timeout: Duration
    /// The directory to run in; `nil` for the current one.
    public var workingDirectory: String?
    /// Send standard output and error to /dev/null instead of collecting them (for programs that leave a
    /// daemon behind holding the pipes, such as `ssh -f`).
    public var discardOutput: Bool

    /// Creates a command.
    public init(
        _ executable: String, _ arguments: [String] = [], environment: [String: String] = [:],
        secretEnvironment: Set<String> = [], input: String? = nil, timeout: Duration = .seconds(60),
        workingDirectory: String? = nil, discardOutput: Bool = false
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.secretEnvironment = secretEnvironment
        self.input = input
        self.timeout = timeout
        self.workingDirectory = workingDirectory
        self.discardOutput = discardOutput
    }

    /// The command line as it may be logged: arguments as given, secret variables shown as `NAME=***`.
    public var description: String {
        let variables = environment.keys.sorted().map { key in
            secretEnvironment.contains(key) ? "\(key)=***" : "\(key)=\(environment[key]!)"
        }
        return (variables + [executable] + arguments.map(Self.quote)).joined(separator: " ")
    }

    private static func quote(_ argument: String) -> String {
        guard argument.isEmpty || argument.contains(where: { " \"'$\\".contains($0) }) else { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// A vendor BIOS tool could not do what was asked; says which tool, on which BMC, and what it printed.
public struct VendorToolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The program is not installed where the catalog says (or not on `PATH`).
        case notInstalled = "not_installed"
        /// It ran and exited non-zero.
        case failed
        /// It ran past its timeout and was stopped.
        case timedOut = "timed_out"
        /// It succeeded but what it printed or wrote could not be read.
        case invalidOutput = "invalid_output"
        /// The BMC's BIOS has no such setting, or the attribute map names no key for the tool.
        case unknownSetting = "unknown_setting"
        /// The catalog names a tool HWAutomation does not drive.
        case notConfigured = "not_configured"
        /// A private working file could not be written or read.
        case localFiles = "local_files"
    }

    /// The kind.
    public var kind: Kind
    /// The tool (`sum`, `ilorest`, `racadm`).
    public var tool: String
    /// The BMC it was working on.
    public var host: String
    /// A sentence saying what happened and what to do.
    public var message: String
    /// The tool's standard error, trimmed (empty when it did not run).
    public var standardError: String

    /// Creates an error.
    public init(kind: Kind, tool: String, host: String, message: String, standardError: String = "") {
        self.kind = kind
        self.tool = tool
        self.host = host
        self.message = message
        self.standardError = standardError
    }

    /// `sum on 10.0.0.5: <message>: <stderr>`.
    public var description: String {
        "\(tool) on \(host): \(message)" + (standardError.isEmpty ? "" : ": \(standardError)")
    }
}

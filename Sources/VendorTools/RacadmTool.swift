import Foundation
import Logging
import Remote

/// Dell racadm, remote: `racadm -r IP -u USER get BIOS.<Group>` once per group wanted (it prints `Name=Value`
/// lines), `racadm -r IP -u USER set BIOS.<Group>.<Name> VALUE` per change, then
/// `racadm -r IP -u USER jobqueue create BIOS.Setup.1-1`: a BIOS configuration job with no reboot of its own, so it
/// runs at the host's next reset (the one the caller makes for everything).
///
/// The password: remote racadm's documented way to give it is `-p PASSWORD` on the command line, which this type
/// never uses. Neither the racadm reference (`get`, `set`, `jobqueue` pages) nor anything else found documents an
/// environment variable or a credentials file for remote racadm (`-u`/`-p` on `get -f`/`set -f` are for network
/// shares, not the iDRAC). So `-p` is left out and the password is written to racadm's standard input, for racadm
/// to read when it asks for the password it was not given. How sure: not confirmed by documentation. If a racadm
/// version refuses to run without `-p`, the run fails with racadm's own message (a `VendorToolError` carrying its
/// stderr); it never falls back to putting the password on the command line. (An SSH key installed on the iDRAC
/// with `racadm sshpkauth`, and racadm run over SSH, would avoid a password entirely; not done here.)
public struct RacadmTool: VendorBIOSTool, VendorToolDriver {
    /// `.racadm`.
    public var kind: VendorToolKind { Self.toolKind }
    /// The BMC.
    public var host: String { process.host }

    static var toolKind: VendorToolKind { .racadm }
    static var defaultTimeout: Duration { .seconds(300) }
    let process: VendorToolProcess

    /// Why the program cannot be started here (not installed where the catalog says, nor on `PATH`); nil when it can.
    public func unavailable() -> VendorToolError? { process.missingProgram() }

    /// The values of `keys` (`BIOS.ProcSettings.LogicalProc`), reading each group (`BIOS.ProcSettings`) once; the
    /// current value, not a pending one.
    public func currentSettings(keys: [String]) async throws(VendorToolError) -> [String: String] {
        try await read(keys, pending: false)
    }

    /// The values staged for the next reset among `keys` (`LogicalProc=Enabled (Pending Value=Disabled)` →
    /// `Disabled`), reading each group once.
    public func pendingSettings(keys: [String]) async throws(VendorToolError) -> [String: String] {
        try await read(keys, pending: true)
    }

    private func read(_ keys: [String], pending: Bool) async throws(VendorToolError) -> [String: String] {
        var groups: [String] = []
        for key in keys {
            let group = Self.group(of: key)
            if !groups.contains(group) { groups.append(group) }
        }
        var settings: [String: String] = [:]
        for group in groups {
            let output = try await run("get \(group)", ["get", group])
            for (name, value) in Self.parseGet(output.standardOutput, pending: pending) {
                settings[name.contains(".") ? name : "\(group).\(name)"] = value
            }
        }
        return settings
    }

    /// `set` per change, then `jobqueue create BIOS.Setup.1-1` (applied at the next reset).
    public func apply(_ changes: [VendorBIOSChange]) async throws(VendorToolError) {
        guard !changes.isEmpty else { return }
        for change in changes {
            _ = try await run("set \(change.key)", ["set", change.key, change.value])
        }
        let job = try await run("jobqueue create", ["jobqueue", "create", "BIOS.Setup.1-1"])
        logger.info(
            "racadm BIOS job created",
            metadata: [
                "bmc": "\(host)", "job": "\(Self.jobID(in: job.standardOutput) ?? "?")",
                "settings": "\(changes.map(\.setting).sorted())",
            ])
    }

    func run(_ step: String, _ arguments: [String]) async throws(VendorToolError) -> ProcessOutput {
        try await process.run(step, ["-r", host, "-u", user] + arguments, input: password + "\n")
    }

    /// `BIOS.ProcSettings.LogicalProc` → `BIOS.ProcSettings`.
    static func group(of key: String) -> String {
        let parts = key.split(separator: ".")
        return parts.count > 2 ? parts.dropLast().joined(separator: ".") : key
    }

    /// `Name=Value` lines of `racadm get`: `[Key=…]` headers skipped, the read-only mark `#` dropped, and for a
    /// staged change (`LogicalProc=Enabled (Pending Value=Disabled)`) the current value kept; with `pending`, only
    /// the staged changes, with their pending values.
    static func parseGet(_ text: String, pending: Bool = false) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.hasPrefix("[") else { continue }
            if line.hasPrefix("#") { line.removeFirst() }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = String(line[line.index(after: equals)...])
            if let marker = value.range(of: " (Pending Value=") {
                value =
                    pending
                    ? String(value[marker.upperBound...].prefix { $0 != ")" }) : String(value[..<marker.lowerBound])
            } else if pending {
                continue
            }
            guard !name.isEmpty, !name.contains(" ") else { continue }
            pairs.append((name, value.trimmingCharacters(in: .whitespaces)))
        }
        return pairs
    }

    /// The job id (`JID_123456789012`) in `jobqueue create`'s output.
    static func jobID(in text: String) -> String? {
        guard let start = text.range(of: "JID_") else { return nil }
        return String(text[start.lowerBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" })
    }
}

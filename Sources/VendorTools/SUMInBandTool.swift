import Catalog
import Foundation
import Logging
import Remote

/// Supermicro Update Manager in band: SUM run on the host itself over SSH (as root), talking to the BIOS through the
/// host's own interfaces, the way a Supermicro BMC without the out-of-band licence can still be configured
/// (`OutOfBandLicence`). `sum -c GetCurrentBiosCfg --file F` reads the settings and `sum -c ChangeBiosCfg --file F`
/// stages a `BiosCfg` file of only the changes (placed in the menus the host's own file uses, as `SUMTool` does);
/// they apply at the next reset. No `-i`/`-u`/`-p`: in band, SUM needs no BMC address or login (SUM overview: "the
/// in-band channel, i.e., communication through the local system interfaces"), so no secret is handled at all. The
/// files live in a `mktemp -d` directory on the host, removed after each run.
public struct SUMInBandTool: VendorBIOSTool {
    /// `.sum`.
    public var kind: VendorToolKind { .sum }
    /// The host, as the shell names it.
    public var host: String { shell.targetDescription }
    /// True: SUM runs on the host.
    public var inBand: Bool { true }

    let shell: any RemoteShell
    let executable: String
    let timeout: Duration
    let logger: Logger

    /// SUM at `executable` (a path or a name on the host's `PATH`) on the host behind `shell`.
    public init(shell: any RemoteShell, executable: String = "sum", timeout: Duration = .seconds(600), logger: Logger) {
        self.shell = shell
        self.executable = executable
        self.timeout = timeout
        self.logger = logger
    }

    /// Every BIOS setting, keyed by menu path and name (`Advanced/Boot Feature/Quiet Boot`).
    public func currentSettings(keys: [String] = []) async throws(VendorToolError) -> [String: String] {
        SUMTool.settings(of: try await currentConfiguration())
    }

    /// The host's current `BiosCfg`, parsed.
    public func currentConfiguration() async throws(VendorToolError) -> BIOSTemplate {
        let script =
            "d=$(mktemp -d) && \(Self.quote(executable)) -c GetCurrentBiosCfg --file \"$d/current.xml\" >&2 "
            + "&& cat \"$d/current.xml\"; rc=$?; rm -rf \"$d\"; exit $rc"
        let output = try await run("GetCurrentBiosCfg", script)
        switch BIOSTemplateXML.parse(
            Data(output.standardOutput.utf8), name: "GetCurrentBiosCfg", displayPath: "GetCurrentBiosCfg output")
        {
        case .success(let template) where template.format == .sumBiosCfg:
            return template
        case .success:
            throw failure(.invalidOutput, "GetCurrentBiosCfg wrote a file that is not a SUM BiosCfg file")
        case .failure(let diagnostic):
            throw failure(.invalidOutput, "GetCurrentBiosCfg wrote XML that does not parse: \(diagnostic)")
        }
    }

    /// Reads the current `BiosCfg` (for the menus), writes a file with only `changes` on the host and runs
    /// `ChangeBiosCfg` with it. A key the BIOS does not have is refused before anything changes.
    public func apply(_ changes: [VendorBIOSChange]) async throws(VendorToolError) {
        guard !changes.isEmpty else { return }
        let located: [(path: [String], name: String, value: String)]
        switch SUMTool.locate(changes, in: try await currentConfiguration()) {
        case .success(let found): located = found
        case .failure(let missing):
            throw failure(
                .unknownSetting,
                "this host's BIOS has no setting `\(missing.change.key)` (for \(missing.change.setting))")
        }
        let xml = SUMTemplate.render(changes: located)
        let script =
            "d=$(mktemp -d) && printf '%s' \(Self.quote(xml)) > \"$d/change.xml\" && \(Self.quote(executable)) "
            + "-c ChangeBiosCfg --file \"$d/change.xml\"; rc=$?; rm -rf \"$d\"; exit $rc"
        logger.info(
            "sum ChangeBiosCfg in band",
            metadata: ["host": "\(host)", "settings": "\(changes.map(\.setting).sorted())"])
        _ = try await run("ChangeBiosCfg", script)
    }

    private func run(_ step: String, _ script: String) async throws(VendorToolError) -> ProcessOutput {
        let output: ProcessOutput
        do {
            // One `sh -c` so that `sudo -n` (a non-root login) covers the whole script.
            output = try await shell.run("sh -c " + Self.quote(script), root: true, timeout: timeout)
        } catch {
            throw failure(.failed, "\(step) could not be run: \(error)")
        }
        guard output.succeeded else {
            let stderr = output.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            throw VendorToolError(
                kind: output.termination == .exited(127) ? .notInstalled : .failed, tool: "sum", host: host,
                message: "\(step) in band ended with \(output.termination)", standardError: stderr)
        }
        return output
    }

    private func failure(_ kind: VendorToolError.Kind, _ message: String) -> VendorToolError {
        VendorToolError(kind: kind, tool: "sum", host: host, message: message)
    }

    /// `text` in single quotes for `sh`.
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

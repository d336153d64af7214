import Catalog
import Foundation
import Logging
import Remote

/// Supermicro Update Manager, out of band: `sum -i IP -u USER -c GetCurrentBiosCfg --file F` to read the BIOS
/// settings (the `BiosCfg` XML it writes, read with the catalog's template parser) and
/// `sum -i IP -u USER -c ChangeBiosCfg --file F` with a `BiosCfg` file holding only the changes, placed in the
/// menus the BMC's own file uses. Changes apply at the next reset (no `--reboot`: the caller resets once).
///
/// The password: SUM's documented way to give the BMC password is `-p PASSWORD` on the command line, which this
/// type never uses (it shows in `ps` and in process accounting). SUM's `--pw_file` option is no alternative: the
/// SUM user's guide documents it only for the *new* password of `SetBmcPassword`, `SetBiosPassword` and
/// `SetCmmPassword` (and `--cur_pw_file` for the current BIOS password), not for logging in to the BMC. So `-p` is
/// left out and the password is written to SUM's standard input, for SUM to read when it asks for the password it
/// was not given. How sure: not confirmed — the guide does not say that SUM prompts when `-p` is missing (it says
/// out-of-band use "must use -i, -u, -p"). If a SUM version refuses to run without `-p`, the run fails with SUM's
/// own message (a `VendorToolError` carrying its stderr); it never falls back to putting the password on the
/// command line.
public struct SUMTool: VendorBIOSTool, VendorToolDriver {
    /// `.sum`.
    public var kind: VendorToolKind { Self.toolKind }
    /// The BMC.
    public var host: String { process.host }

    static var toolKind: VendorToolKind { .sum }
    static var defaultTimeout: Duration { .seconds(600) }
    let process: VendorToolProcess

    /// Why the program cannot be started here (not installed where the catalog says, nor on `PATH`); nil when it can.
    public func unavailable() -> VendorToolError? { process.missingProgram() }

    /// Every BIOS setting, keyed by menu path and name (`Advanced/Boot Feature/Quiet Boot`).
    public func currentSettings(keys: [String] = []) async throws(VendorToolError) -> [String: String] {
        Self.settings(of: try await currentConfiguration())
    }

    /// The BMC's current `BiosCfg`, parsed.
    public func currentConfiguration() async throws(VendorToolError) -> BIOSTemplate {
        try await process.withPrivateDirectory { directory throws(VendorToolError) in
            let file = directory.appendingPathComponent("current-bioscfg.xml")
            _ = try await run("GetCurrentBiosCfg", file: file)
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw process.failure(
                    .invalidOutput, "GetCurrentBiosCfg exited 0 but wrote no file at \(file.lastPathComponent)")
            }
            switch BIOSTemplateXML.parse(data, name: "GetCurrentBiosCfg", displayPath: "GetCurrentBiosCfg output") {
            case .success(let template) where template.format == .sumBiosCfg:
                return template
            case .success:
                throw process.failure(.invalidOutput, "GetCurrentBiosCfg wrote a file that is not a SUM BiosCfg file")
            case .failure(let diagnostic):
                throw process.failure(.invalidOutput, "GetCurrentBiosCfg wrote XML that does not parse: \(diagnostic)")
            }
        }
    }

    /// Reads the current `BiosCfg` (for the menus each setting sits in), writes a file with only `changes` and runs
    /// `ChangeBiosCfg` with it. A key the BMC's BIOS does not have is refused before anything changes.
    public func apply(_ changes: [VendorBIOSChange]) async throws(VendorToolError) {
        guard !changes.isEmpty else { return }
        let located: [(path: [String], name: String, value: String)]
        switch Self.locate(changes, in: try await currentConfiguration()) {
        case .success(let found): located = found
        case .failure(let missing):
            throw process.failure(
                .unknownSetting,
                "this BMC's BIOS has no setting `\(missing.change.key)` (for \(missing.change.setting)); check the "
                    + "`sum` path in bios-attributes.yaml (or the template's menu path) against `sum -c GetCurrentBiosCfg`"
            )
        }
        try await process.withPrivateDirectory { directory throws(VendorToolError) in
            let file = directory.appendingPathComponent("change-bioscfg.xml")
            try process.writePrivateFile(file, SUMTemplate.render(changes: located))
            logger.info(
                "sum ChangeBiosCfg", metadata: ["bmc": "\(host)", "settings": "\(changes.map(\.setting).sorted())"])
            _ = try await run("ChangeBiosCfg", file: file)
        }
    }

    private func run(_ command: String, file: URL) async throws(VendorToolError) -> ProcessOutput {
        try await process.run(
            command, ["-i", host, "-u", user, "-c", command, "--file", file.path], input: password + "\n")
    }

    /// A change whose key the BIOS does not have.
    public struct Missing: Error, Sendable {
        /// The change.
        public var change: VendorBIOSChange
    }

    /// Each change placed in the menus of `configuration` (a `GetCurrentBiosCfg` file), by its key (exact, ignoring
    /// case, or by the setting's own name when the menus nest differently); the first change with no such setting
    /// fails it.
    public static func locate(_ changes: [VendorBIOSChange], in configuration: BIOSTemplate)
        -> Result<[(path: [String], name: String, value: String)], Missing>
    {
        let current = settings(of: configuration)
        var byKey: [String: BIOSTemplate.Setting] = [:]
        for setting in configuration.settings { byKey[key(setting)] = setting }
        var located: [(path: [String], name: String, value: String)] = []
        for change in changes {
            guard let (key, _) = VendorToolKind.sum.value(for: change.key, in: current), let setting = byKey[key] else {
                return .failure(Missing(change: change))
            }
            // The path as parsed, not split from the key: menu names may contain `/` (`PCIe/PCI/PnP Configuration`).
            located.append((setting.path, setting.name, change.value))
        }
        return .success(located)
    }

    /// The settings of a parsed `BiosCfg`, keyed by menu path and name joined with `/`.
    public static func settings(of configuration: BIOSTemplate) -> [String: String] {
        var settings: [String: String] = [:]
        for setting in configuration.settings { settings[key(setting)] = setting.value }
        return settings
    }

    private static func key(_ setting: BIOSTemplate.Setting) -> String {
        (setting.path + [setting.name]).joined(separator: "/")
    }
}

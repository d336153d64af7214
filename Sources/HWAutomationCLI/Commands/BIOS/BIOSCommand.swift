import ArgumentParser
import BIOS
import Catalog
import Foundation
import Logging
import Orchestration
import Redfish
import Remote
import Store
import VendorTools

/// `hwautomation bios`.
struct BIOSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bios",
        abstract: "Show, plan, apply and restore a device type's BIOS settings (Redfish; one reset).",
        subcommands: [
            BIOSDesiredCommand.self, BIOSPlanCommand.self, BIOSApplyCommand.self, BIOSRestoreCommand.self,
            BIOSTemplateCommand.self, BIOSCoverageCommand.self,
        ])
}

/// The device type to configure.
struct DeviceTypeOption: ParsableArguments {
    @Option(name: .customLong("type"), help: ArgumentHelp("Device type (s2.c2.small).", valueName: "type"))
    var deviceType: String

    func resolve(in catalog: Catalog) throws -> DeviceType {
        guard let type = catalog.deviceType(named: deviceType) else {
            throw CommandFailure("no device type `\(deviceType)`; see `hwautomation catalog list`")
        }
        return type
    }

    func desired(_ type: DeviceType, _ catalog: Catalog) throws -> DesiredBIOSState {
        do {
            return try DesiredBIOSState(type: type, catalog: catalog)
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}

/// `bios desired`.
struct BIOSDesiredCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desired",
        abstract: "Show every BIOS setting a device type's templates, configs and rules name, and what became of it.")

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var type: DeviceTypeOption
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        let desired = try type.desired(try type.resolve(in: catalog), catalog)
        if json {
            print(try Terminal.json(BIOSDesiredView(desired)))
            return
        }
        var table = TextTable(["SETTING", "VALUE", "SOURCE", "TEMPLATE SETTING", "FATE"])
        for entry in BIOSDesiredView(desired).settings {
            table.add([
                entry.setting, entry.value, entry.source,
                entry.templateSetting.map { ((entry.menuPath ?? []) + [$0]).joined(separator: " / ") } ?? "-",
                entry.fate + (entry.overriddenBy.map { " by \($0)" } ?? "") + (entry.pattern.map { " `\($0)`" } ?? ""),
            ])
        }
        print(table.render())
    }
}

/// `bios desired --json`: every setting every source named, each with its source, the template's own name and
/// menu path for template settings, and its fate in the desired state (`desired`, `overridden`, `preserved`).
struct BIOSDesiredView: Encodable {
    struct Entry: Encodable {
        var setting: String
        var value: String
        var source: String
        var template: String?
        var templateSetting: String?
        var menuPath: [String]?
        var fate: String
        var overriddenBy: String?
        var pattern: String?

        enum CodingKeys: String, CodingKey {
            case setting, value, source, template
            case templateSetting = "template_setting"
            case menuPath = "menu_path"
            case fate
            case overriddenBy = "overridden_by"
            case pattern
        }
    }

    var deviceType: String
    var settings: [Entry]
    var desired: Int
    var fromTemplates: Int

    enum CodingKeys: String, CodingKey {
        case deviceType = "device_type"
        case desired
        case fromTemplates = "from_templates"
        case settings
    }

    init(_ state: DesiredBIOSState) {
        deviceType = state.deviceType
        settings = state.contributions.map { contribution in
            var entry = Entry(
                setting: contribution.setting, value: contribution.value, source: contribution.source,
                template: contribution.template?.file, templateSetting: contribution.template?.name,
                menuPath: contribution.template?.menuPath, fate: "desired")
            switch contribution.standing {
            case .desired: break
            case .overridden(let by):
                entry.fate = "overridden"
                entry.overriddenBy = by
            case .preserved(let pattern):
                entry.fate = "preserved"
                entry.pattern = pattern
            }
            return entry
        }
        desired = state.settings.count
        fromTemplates = state.contributions.filter { $0.template != nil }.count
    }
}

/// What plan/apply/restore share: the BMC and the system behind it.
struct BIOSTarget: ParsableArguments {
    @OptionGroup var bmc: RedfishOptions

    @Option(help: ArgumentHelp("The system behind the BMC (its Id), when it has several.", valueName: "id"))
    var system: String?

    /// Refuses a command line without `--redfish` (plan may read a SUM file instead, so the commands ask).
    func requireRedfish() throws {
        guard bmc.redfish != nil else { throw ValidationError("--redfish URL is required") }
    }

    /// Opens the BMC, runs `body` (an apply), closes the session whatever happens, prints the report; exits 1 when
    /// the apply failed or did not verify.
    func applyAndReport(
        json: Bool, dryRun: Bool, _ body: (RedfishBIOS) async throws -> RedfishBIOS.Report
    ) async throws {
        let (client, bios) = try await open(logger: Logger(label: "hwautomation.bios"))
        let report = try await exitingOnError { try await client.closing { _ in try await body(bios) } }
        print(json ? try Terminal.json(report) : BIOSText.report(BIOSApplyReportView(report: report, dryRun: dryRun)))
        if !report.succeeded { throw ExitCode(1) }
    }

    func open(logger: Logger) async throws -> (RedfishClient, RedfishBIOS) {
        let client = try await bmc.client(logger: logger)
        let bios = RedfishBIOS(
            client: client, logger: logger, registries: RegistryCache(directory: RegistryCache.defaultDirectory()))
        do {
            try await bios.discover(system: system)
        } catch {
            // Closed here only: on success the caller closes it after its work.
            await client.close()
            throw CommandFailure("\(error)")
        }
        return (client, bios)
    }
}

enum BIOSText {
    static func plan(_ plan: BIOSPlan) -> String {
        var table = TextTable(["SETTING", "ATTRIBUTE", "CURRENT", "DESIRED", "FATE", "SOURCE / REASON"])
        for item in plan.items {
            table.add([
                item.setting, item.attribute ?? "-", item.current?.string ?? "-", item.desired?.string ?? "-",
                item.fate.name + (item.optional ? " (optional)" : ""), item.reason ?? item.source,
            ])
        }
        let changes = plan.items.filter { $0.fate == .change }.count
        let exceptions = plan.exceptions
        return table.render() + "\n\n\(changes) change(s) on \(plan.bmc) for \(plan.deviceType)"
            + (changes == 0 ? "; nothing to change." : ".")
            + (exceptions.isEmpty
                ? ""
                : " \(exceptions.count) setting(s) cannot be applied: "
                    + exceptions.map(\.setting).joined(separator: ", ") + ".")
    }

    static func report(_ report: BIOSApplyReportView) -> String {
        var lines = [plan(report.report.plan), ""]
        let value = report.report
        if !value.patched && !value.reset {
            lines.append(report.dryRun ? "dry run: nothing sent." : "nothing to change: no PATCH, no reset.")
            if !value.wouldSend.isEmpty {
                lines.append("an apply would send:")
                lines += value.wouldSend.map { "  \($0)" }
            }
        } else {
            lines.append("backup:   \(value.backup ?? "-")")
            if let tool = value.vendorTool { lines.append("vendor tool: \(tool) staged its changes before the reset") }
            lines.append(
                "patched:  \(value.patched ? "yes (one PATCH)" : "no")   reset: \(value.reset ? "yes (one)" : "no")   "
                    + "requests: \(value.requests)")
            for (attribute, ok) in value.verified.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(ok ? "verified" : "MISMATCH") \(attribute)")
            }
        }
        for exception in value.notApplied {
            lines.append("  not applied: \(exception.text)")
        }
        let blocking = value.notApplied.filter { !$0.optional }
        if !blocking.isEmpty {
            lines.append(
                "configured with exceptions: \(blocking.count) setting(s) the type needs were not applied: "
                    + blocking.map(\.setting).joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

struct BIOSApplyReportView {
    var report: RedfishBIOS.Report
    var dryRun: Bool
}

/// `bios plan`.
struct BIOSPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract:
            "Resolve a device type's BIOS settings against a BMC's registry: change, already_set, pending, preserved, vendor_tool, unresolved, invalid, read_only."
    )

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var type: DeviceTypeOption
    @OptionGroup var target: BIOSTarget
    @Option(
        name: .customLong("from-sum-file"),
        help: ArgumentHelp(
            "Plan against a SUM GetCurrentBiosCfg XML file instead of the BMC's Redfish settings.", valueName: "file"))
    var sumFile: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard (target.bmc.redfish == nil) != (sumFile == nil) else {
            throw ValidationError("give one of --redfish URL or --from-sum-file FILE")
        }
    }

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        let deviceType = try type.resolve(in: catalog)
        let desired = try type.desired(deviceType, catalog)
        if let sumFile {
            let plan = BIOSPlanner.plan(
                desired: desired, type: deviceType, catalog: catalog, sumConfiguration: try Self.readSUMFile(sumFile),
                source: sumFile)
            print(json ? try Terminal.json(plan) : BIOSText.plan(plan))
            return
        }
        let (client, bios) = try await target.open(logger: Logger(label: "hwautomation.bios"))
        let plan = try await exitingOnError {
            try await client.closing { _ in try await bios.plan(desired, type: deviceType, catalog: catalog) }
        }
        print(json ? try Terminal.json(plan) : BIOSText.plan(plan))
    }
}

extension BIOSPlanCommand {
    /// A SUM `GetCurrentBiosCfg` file, parsed; exits 1 naming the file and line when it is not one.
    static func readSUMFile(_ path: String) throws -> BIOSTemplate {
        switch BIOSTemplateXML.parse(fileAt: path, name: URL(fileURLWithPath: path).lastPathComponent) {
        case .success(let template) where template.format == .sumBiosCfg:
            return template
        case .success:
            Terminal.printError("error: \(path): not a SUM BiosCfg file (its root element is not <BiosCfg>)")
        case .failure(let diagnostic):
            Terminal.printError("error: \(diagnostic)")
        }
        throw ExitCode(1)
    }
}

/// `bios apply`.
struct BIOSApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a device type's BIOS settings: back up, one PATCH, one reset, wait, verify every value.",
        discussion:
            "Changes routed to the vendor tool (SUM, iLOrest, racadm) go through it before the one reset, with the same "
            + "user and password (never on its command line): settings routed vendor_only or redfish_fallback, and "
            + "those this BMC's Redfish lacks when the type's method is hybrid (or its fallback_method vendor_tool). "
            + "SUM gets a BiosCfg file of exactly those settings, under the template's menu paths. When the tool "
            + "is not installed, redfish_fallback settings go over Redfish and the others are named as not applied. "
            + "After the reset the apply waits for the end of POST (BootProgress, HPE PostState, the Dell job) "
            + "before reading every value back. A Supermicro BMC without its out-of-band licence (SFT-OOB-LIC or "
            + "SFT-DCMS-SINGLE) is refused before anything changes, unless --ssh gives the host: SUM then sets "
            + "everything in band. Exits 1 when a value does not read back as desired, or when a setting the type "
            + "needs (not marked optional) is unresolved, invalid, read-only or not sent.")

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var type: DeviceTypeOption
    @OptionGroup var target: BIOSTarget
    @OptionGroup var vendorTool: VendorToolOptions
    @OptionGroup var inBand: InBandSUMOptions
    @Flag(name: .customLong("dry-run"), help: "Show the plan and what would be sent; send nothing.") var dryRun = false
    @OptionGroup var backups: BackupDestination
    @Flag(help: "Print JSON (the report, with the request count).") var json = false

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        let deviceType = try type.resolve(in: catalog)
        let desired = try type.desired(deviceType, catalog)
        let logger = Logger(label: "hwautomation.bios")
        let quiet = json
        try await target.applyAndReport(json: json, dryRun: dryRun) { bios in
            let plan = try await bios.plan(desired, type: deviceType, catalog: catalog)
            // The same choice as the workflow's apply-bios step: SUM in band when the BMC lacks its out-of-band
            // licence and the host is reachable, else the vendor's tool for the vendor-tool changes.
            var shell: SSHSession?
            var applier: VendorBIOSApplier?
            if inBand.destination != nil, await bios.checkLicence() == .absent,
                let session = try inBand.session(logger: logger)
            {
                shell = session
                applier = VendorBIOSApplier(
                    tool: SUMInBandTool(shell: session, executable: inBand.sum, logger: logger),
                    map: catalog.biosAttributes)
            } else if !plan.vendorToolChanges.isEmpty {
                applier = try await vendorTool.applier(
                    for: deviceType, catalog: catalog, bmc: target.bmc, logger: logger)
            }
            do {
                let report = try await bios.apply(
                    plan, backupTo: try await backups.sink(), dryRun: dryRun, vendorTool: applier,
                    progress: { step in
                        if !quiet { Terminal.printError("POST: \(step.text) (poll \(step.polls))") }
                    })
                await shell?.close()
                return report
            } catch {
                await shell?.close()
                throw error
            }
        }
    }

    func validate() throws {
        try target.requireRedfish()
    }
}

/// `bios restore`.
struct BIOSRestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Put the BIOS values of a backup (from bios apply) back, the same way.")

    @OptionGroup var target: BIOSTarget
    @Option(help: ArgumentHelp("A backup file (bios apply --backup-dir).", valueName: "file")) var backup: String?
    @Option(
        name: .customLong("backup-id"),
        help: ArgumentHelp("A backup in the store (bios apply's store:#N).", valueName: "n"))
    var backupID: Int64?
    @OptionGroup var backups: BackupDestination
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        try target.requireRedfish()
        guard (backup == nil) != (backupID == nil) else {
            throw ValidationError("give one of --backup FILE or --backup-id N")
        }
    }

    func run() async throws {
        let saved = try await backups.load(file: backup, id: backupID)
        try await target.applyAndReport(json: json, dryRun: false) { bios in
            try await bios.apply(try await bios.restorePlan(saved), backupTo: try await backups.sink())
        }
    }
}

/// `bios template`.
struct BIOSTemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Write a device type's BIOS settings as a Supermicro SUM BiosCfg XML file.")

    @OptionGroup var catalogOptions: CatalogOptions
    @Argument(help: ArgumentHelp("Device type.", valueName: "type")) var deviceType: String
    @Option(help: "Format (sum).") var format = "sum"

    func validate() throws {
        guard format == "sum" else { throw ValidationError("only --format sum is supported") }
    }

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        let option = try DeviceTypeOption.parse(["--type", deviceType])
        let type = try option.resolve(in: catalog)
        let desired = try option.desired(type, catalog)
        print(SUMTemplate.render(desired, map: catalog.biosAttributes, type: type))
    }
}

/// Where BIOS backups go: the store (default), or files with `--backup-dir`.
struct BackupDestination: ParsableArguments {
    @OptionGroup var store: StoreOptions

    @Option(
        name: .customLong("backup-dir"),
        help: ArgumentHelp("Write backups as files here instead of the store.", valueName: "dir"))
    var directory: String?

    func sink() async throws -> any BIOSBackupSink {
        if let directory { return FileBackupSink(directory: URL(fileURLWithPath: directory)) }
        return StoreBackupSink(store: try await store.open())
    }

    /// A backup from a file or the store.
    func load(file: String?, id: Int64?) async throws -> BIOSBackup {
        if let file {
            do {
                return try BIOSBackup.load(file)
            } catch {
                throw CommandFailure("\(file): not a BIOS backup: \(error)")
            }
        }
        let store = try await store.open()
        guard let id, let record = try await exitingOnError({ try await store.biosBackup(id: id) }),
            let attributes = try? JSONDecoder().decode([String: JSONValue].self, from: Data(record.attributes.utf8))
        else {
            throw CommandFailure("no BIOS backup #\(id ?? 0) in the store")
        }
        return BIOSBackup(
            bmc: record.bmc, deviceType: record.deviceType, taken: "\(record.taken)", attributes: attributes)
    }
}

import BIOS
import Catalog
import ChildTasks
import Firmware
import Foundation
import IPMI
import Inventory
import Redfish
import Remote
import Store
import VendorTools
import WorkflowEngine

/// What `classify` decided.
public struct ClassifyOutput: Sendable, Hashable, Codable {
    /// The device type the rest of the workflow uses.
    public var deviceType: String
    /// The classifier's confidence (`high`, ...), or `operator` when a person chose the type.
    public var confidence: String
    /// The classifier's own answer, when it had one.
    public var classified: String?
    /// The vendor (for per-vendor limits and tags).
    public var vendor: String?
    /// Why: the fields that matched or not.
    public var reasons: [String]

    enum CodingKeys: String, CodingKey {
        case deviceType = "device_type"
        case confidence, classified, vendor, reasons
    }
}

/// What `plan-bios`, `apply-bios` and `verify` found or did.
public struct BIOSStepOutput: Sendable, Hashable, Codable {
    /// Settings to change (or changed).
    public var changes: [String]
    /// Settings already right.
    public var alreadySet: Int
    /// Settings waiting for a reset.
    public var pending: [String]
    /// Settings routed to a vendor tool that the step did not run it for.
    public var notApplied: [String]
    /// Settings left undone, each with its fate and why (unresolved, invalid, read-only, a vendor tool's that was not
    /// sent); optional ones are marked. Any non-optional one makes the server `configured-with-exceptions`.
    public var exceptions: [BIOSPlan.Exception]
    /// Whether a PATCH was sent.
    public var patched: Bool
    /// Whether the host was reset.
    public var reset: Bool
    /// Where the settings before the change were saved.
    public var backup: String?
    /// Redfish requests the step sent.
    public var requests: Int
    /// The Dell configuration job that applied the settings (`JID_…`), when the BMC made one.
    public var job: String?

    enum CodingKeys: String, CodingKey {
        case changes
        case alreadySet = "already_set"
        case pending
        case notApplied = "not_applied"
        case patched, reset, backup, requests, exceptions, job
    }

    init(
        changes: [String], alreadySet: Int, pending: [String], notApplied: [String], patched: Bool, reset: Bool,
        backup: String?, requests: Int, exceptions: [BIOSPlan.Exception]
    ) {
        self.changes = changes
        self.alreadySet = alreadySet
        self.pending = pending
        self.notApplied = notApplied
        self.patched = patched
        self.reset = reset
        self.backup = backup
        self.requests = requests
        self.exceptions = exceptions
    }

    /// Decodes; outputs stored before exceptions existed have none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        changes = try container.decode([String].self, forKey: .changes)
        alreadySet = try container.decode(Int.self, forKey: .alreadySet)
        pending = try container.decode([String].self, forKey: .pending)
        notApplied = try container.decode([String].self, forKey: .notApplied)
        patched = try container.decode(Bool.self, forKey: .patched)
        reset = try container.decode(Bool.self, forKey: .reset)
        backup = try container.decodeIfPresent(String.self, forKey: .backup)
        requests = try container.decode(Int.self, forKey: .requests)
        exceptions = try container.decodeIfPresent([BIOSPlan.Exception].self, forKey: .exceptions) ?? []
        job = try container.decodeIfPresent(String.self, forKey: .job)
    }

    /// The exceptions the device type does not mark optional.
    public var blockingExceptions: [BIOSPlan.Exception] { exceptions.filter { !$0.optional } }
}

/// The commissioning steps as functions of a step context.
struct CommissioningSteps: Sendable {
    let services: CommissioningServices

    // MARK: discover

    /// Reads the server over Redfish (when it has a BMC) and SSH (when it has a host address); SSH facts win.
    func discover(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        let hasBMC = input.bmc != nil
        let hasHost = input.sshHost != nil
        guard hasBMC || hasHost else {
            throw StepError("nothing to discover: the run has neither a BMC (input bmc) nor a host (input ssh_host)")
        }
        // Normalised as read and again after the merge (it changes nothing twice): what is stored and classified
        // holds standard rates and sizes, one vendor id, colon MACs and no placeholders.
        var inventory = Normalisation.normalised(hasBMC ? try await discoverRedfish(context) : Inventory())
        if let destination = input.sshHost, !destination.isEmpty {
            await context.report("reading \(destination) over SSH", percent: 50)
            let shell = try await shell(destination, context)
            inventory = Normalisation.normalised(try await discoverSSH(shell, redfish: inventory))
        }
        var server =
            try await services.store.server(id: context.serverID)
            ?? ServerRecord(id: context.serverID, name: context.serverID)
        server.bmcAddress = input.bmc
        server.credential = input.credential
        server.sshHost = input.sshHost
        // Encoded once: the server's record and the step's output hold the same text (one string, shared).
        let json = StepContext.json(inventory)
        server.inventory = json
        server.status = "discovered"
        try await services.store.upsertServer(server)
        return .done(output: json)
    }

    /// The schemas whose documents a run keeps after discovery (see `RedfishClient.forgetDocuments(keeping:)`).
    static let documentsKeptAfterDiscovery: Set<String> = [
        "ComputerSystemCollection", "ComputerSystem", "ManagerCollection", "Manager",
    ]

    private func discoverRedfish(_ context: StepContext) async throws -> Inventory {
        let input = try context.input(CommissioningInput.self)
        let client: RedfishClient
        do {
            client = try await services.client(context)
            await context.report("reading \(client.endpoint.host) over Redfish", percent: 10)
            _ = try await client.serviceRoot()
        } catch {
            throw StepError.from(error)
        }
        let source = WatchedRedfishSource(upstream: client.remembering)
        var inventory = Inventory()
        await RedfishInventoryReader(source: source, systemID: input.system).read(into: &inventory)
        // The BIOS and licence steps read the systems and managers again; the rest (processors, memory, drives,
        // adapters: most of a run's memory while a thousand runs are in flight) is not needed after this.
        await client.forgetDocuments(keeping: Self.documentsKeptAfterDiscovery)
        if let failure = source.firstFailure {
            throw StepError("discovery could not read everything: \(failure)", transient: true)
        }
        guard inventory.system.manufacturer != nil || inventory.system.serial != nil else {
            throw StepError(
                "the BMC answered but shows no system: "
                    + inventory.problems.map(\.description).joined(separator: "; "))
        }
        return inventory
    }

    /// A shell on `destination` (`user@host`, root when no user) with the run's `ssh_port`, `ssh_key` and
    /// `known_hosts`.
    func shell(_ destination: String, _ context: StepContext) async throws -> any RemoteShell {
        let input = try context.input(CommissioningInput.self)
        let parts = destination.split(separator: "@", maxSplits: 1)
        let (user, host) = parts.count == 2 ? (String(parts[0]), String(parts[1])) : ("root", destination)
        let target = SSHTarget(
            host: host, port: input.sshPort ?? 22, user: user,
            keyFile: input.sshKey,
            knownHostsFile: input.knownHosts ?? SSHTarget.defaultKnownHostsFile())
        do {
            return try await services.shells(target, services.runner, context.logger)
        } catch {
            throw StepError("cannot open a shell on \(destination): \(error)")
        }
    }

    private func discoverSSH(_ session: any RemoteShell, redfish: Inventory) async throws -> Inventory {
        do {
            let (bundle, problems) = try await SSHDiscovery(session: session).collect()
            await session.close()
            var inventory = await bundle.inventory()
            inventory.problems = problems + inventory.problems.filter { !problems.map(\.source).contains($0.source) }
            inventory.fill(from: redfish)
            return inventory
        } catch {
            await session.close()
            throw StepError("\(error)", transient: error.isTransient)
        }
    }

    // MARK: classify

    func classify(_ context: StepContext, requireType: Bool) async throws -> StepOutcome {
        let (input, classification, vendor) = try classified(context)
        let given = input.deviceType
        let force = input.force
        let reasons = classification.reasons.map(\.description) + classification.problemLines
        await services.clients.setVendor(vendor, for: context.workflowID)
        if let given {
            guard services.catalog.deviceType(named: given) != nil else {
                throw StepError("device type \(given) is not in the catalog (`hwautomation catalog list`)")
            }
            let agrees = classification.deviceType == given
            if requireType, !agrees, !force {
                throw StepError(
                    "the hardware looks like \(classification.deviceType ?? "no catalog type") "
                        + "(\(classification.confidence.rawValue)), not \(given); check the server or use --force")
            }
            let output = ClassifyOutput(
                deviceType: given, confidence: agrees ? classification.confidence.rawValue : "operator",
                classified: classification.deviceType, vendor: vendor, reasons: reasons)
            try await recordClassification(context, output)
            return .done(output: StepContext.json(output))
        }
        if requireType {
            throw StepError("device-specific provisioning needs a device type (input `device_type`)")
        }
        guard classification.outcome == .matched, classification.confidence >= .medium,
            let type = classification.deviceType
        else {
            let why =
                switch classification.outcome {
                case .ambiguous:
                    "ambiguous between \(classification.ambiguousWith.joined(separator: ", "))"
                case .unknown:
                    "unknown hardware: no catalog type fits"
                        + (classification.candidates.first.map { " (closest: \($0.deviceType))" } ?? "")
                case .matched:
                    "\(classification.deviceType ?? "?") with \(classification.confidence.rawValue) confidence only"
                }
            var server = try await services.store.server(id: context.serverID)
            server?.confidence = classification.confidence.rawValue
            if let server { try await services.store.upsertServer(server) }
            return .waitForOperator(
                reason: "\(why); resume with --device-type TYPE to continue (`workflow resume \(context.workflowID) "
                    + "--device-type TYPE`)")
        }
        let output = ClassifyOutput(
            deviceType: type, confidence: classification.confidence.rawValue, classified: type, vendor: vendor,
            reasons: reasons)
        try await recordClassification(context, output)
        return .done(output: StepContext.json(output))
    }

    /// The run's input, the classification of the discovered inventory and its vendor. Synchronous and kept out of
    /// line on purpose: the inventory (decoded, normalised, classified) then lives on the thread's stack for the
    /// moment it is needed, not in the async step's frame (heaptrack, `bench fleet` with 300 runs in flight: 29 KB
    /// of task memory per run was allocated for that frame before, none after).
    @inline(never)
    private func classified(
        _ context: StepContext
    ) throws -> (CommissioningInput, Classification, String?) {
        let input = try context.input(CommissioningInput.self)
        guard let inventory = try context.output(CommissioningStepKeys.discover) else {
            throw StepError("no inventory from discover")
        }
        return (
            input, services.classifier.classify(inventory), VendorName.normalise(inventory.system.manufacturer)
        )
    }

    private func recordClassification(_ context: StepContext, _ output: ClassifyOutput) async throws {
        guard var server = try await services.store.server(id: context.serverID) else { return }
        server.deviceType = output.deviceType
        server.confidence = output.confidence
        server.status = "classified"
        try await services.store.upsertServer(server)
    }

    func deviceType(_ context: StepContext) throws -> DeviceType {
        guard let decided = try context.output(CommissioningStepKeys.classify),
            let type = services.catalog.deviceType(named: decided.deviceType)
        else {
            throw StepError("no device type from classify")
        }
        return type
    }

    // MARK: BIOS

    func bios(_ context: StepContext) async throws -> RedfishBIOS {
        await services.clients.bios(
            for: context.workflowID, client: try await services.client(context), registries: services.registries,
            logger: context.logger)
    }

    /// The run's BIOS plan; `withPending: false` does not read the settings object (see `RedfishBIOS.plan`).
    func plan(_ context: StepContext, withPending: Bool = true) async throws -> (RedfishBIOS, BIOSPlan) {
        let input = try context.input(CommissioningInput.self)
        let type = try deviceType(context)
        let bios = try await bios(context)
        do {
            try await bios.discover(system: input.system)
            let plan = try await bios.plan(
                try services.desired(type), type: type, catalog: services.catalog,
                withPending: withPending)
            return (bios, plan)
        } catch {
            throw StepError.from(error)
        }
    }

    static func summary(_ plan: BIOSPlan) -> BIOSStepOutput {
        BIOSStepOutput(
            changes: plan.items.filter { $0.status == .change }.map {
                "\($0.attribute ?? $0.setting): \($0.current?.string ?? "?") → \($0.desired?.string ?? "?")"
            },
            alreadySet: plan.items.filter { $0.status == .alreadySet }.count,
            pending: plan.items.filter { $0.status == .pending }.map { $0.attribute ?? $0.setting },
            notApplied: plan.vendorToolChanges.map(\.setting), patched: false, reset: false, backup: nil, requests: 0,
            exceptions: plan.exceptions)
    }

    /// Plans the type's settings against the BMC; settings it cannot apply (unresolved, invalid, read-only) are
    /// listed as exceptions, not refused: the rest still applies.
    func planBIOS(_ context: StepContext) async throws -> StepOutcome {
        let (_, plan) = try await plan(context)
        return .done(output: StepContext.json(Self.summary(plan)))
    }

    func applyBIOS(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        if input.dryRun { return .skipped(reason: "dry run: nothing changed") }
        // The host's POST is a long wait: the planning before it runs in a child task, so this step keeps only
        // small frames through it (`ChildTask`).
        let prepared = try await ChildTask.run { try await self.prepareApply(context) }
        do {
            let report = try await prepared.bios.apply(
                prepared.plan,
                backupTo: StoreBackupSink(store: services.store, actor: "workflow \(context.workflowID)"),
                hostTimeout: services.hostTimeout, firstPoll: services.firstPoll, poll: services.postPoll,
                vendorTool: prepared.tool, stagedFirmware: prepared.stagedFirmware,
                progress: { step in await context.report("POST: \(step.text)", percent: 60) })
            await prepared.inBand?.close()
            let requests = (await services.clients.requests(context.workflowID) ?? 0) - prepared.requestsBefore
            return try Self.applied(report, plan: prepared.plan, requests: requests)
        } catch {
            await prepared.inBand?.close()
            throw StepError.from(error)
        }
    }

    /// What `applyBIOS` applies with.
    struct PreparedApply: Sendable {
        var bios: RedfishBIOS
        var plan: BIOSPlan
        var tool: VendorBIOSApplier?
        /// A shell on the host for SUM in band (closed by `applyBIOS`).
        var inBand: (any RemoteShell)?
        var stagedFirmware: Bool
        /// The run's Redfish requests before the apply.
        var requestsBefore: Int
    }

    /// Plans from what the BMC shows now and picks the vendor tool (SUM in band when the BMC lacks its licence).
    func prepareApply(_ context: StepContext) async throws -> PreparedApply {
        // Under the BMC's lock now: plan from what the BMC shows, not what plan-bios read (another run may have
        // changed it meanwhile).
        try await services.client(context).forgetDocuments()
        let (bios, plan) = try await plan(context)
        let before = await services.clients.requests(context.workflowID) ?? 0
        await context.report(
            "applying \(plan.redfishChanges.count) BIOS settings over Redfish and \(plan.vendorToolChanges.count) with "
                + "the vendor tool, with one reset", percent: 20)
        var inBand: (any RemoteShell)?
        do {
            var tool: VendorBIOSApplier?
            // The licence is asked only when the host could take SUM in band instead (a Redfish-only apply learns it
            // from the PATCH's answer, `OutOfBandLicence.unchecked`).
            if try inBandDestination(context) != nil, await bios.checkLicence() == .absent,
                let shell = try await inBandShell(context)
            {
                // No out-of-band licence, but host access: SUM on the host sets everything (see `RedfishBIOS.route`).
                inBand = shell
                tool = VendorBIOSApplier(
                    tool: SUMInBandTool(shell: shell, logger: context.logger), map: services.catalog.biosAttributes)
            } else if !plan.vendorToolChanges.isEmpty {
                tool = try await vendorTool(context)
            }
            if context.attempt > 1, let applier = tool {
                // An earlier attempt may have run the tool: what it already staged is not sent again.
                tool?.staged = Set(
                    try await applier.readBack(applier.batch(for: plan.vendorToolChanges).changes).keys)
            }
            return PreparedApply(
                bios: bios, plan: plan, tool: tool, inBand: inBand, stagedFirmware: try stagedFirmware(context),
                requestsBefore: before)
        } catch {
            await inBand?.close()
            throw StepError.from(error)
        }
    }

    /// The apply step's outcome: done when every value reads back as desired.
    static func applied(_ report: RedfishBIOS.Report, plan: BIOSPlan, requests: Int) throws -> StepOutcome {
        let failed = report.verified.filter { !$0.value }.keys.sorted()
        guard failed.isEmpty else {
            throw StepError("after the reset the BMC does not show: \(failed.joined(separator: ", "))")
        }
        var output = summary(plan)
        output.notApplied = []
        output.exceptions = report.notApplied
        output.patched = report.patched
        output.reset = report.reset
        output.backup = report.backup
        output.job = report.job
        output.requests = requests
        return .done(output: StepContext.json(output))
    }

    /// A shell on the run's host for SUM in band, when the run has one (input `ssh_host`) and the device type's
    /// vendor tool is SUM; nil otherwise.
    func inBandShell(_ context: StepContext) async throws -> (any RemoteShell)? {
        guard let destination = try inBandDestination(context) else { return nil }
        return try await shell(destination, context)
    }

    /// The host SUM could run on in band: the run's SSH host, when the type's vendor tool is SUM.
    func inBandDestination(_ context: StepContext) throws -> String? {
        let input = try context.input(CommissioningInput.self)
        let type = try deviceType(context)
        guard let destination = input.sshHost, !destination.isEmpty,
            let vendor = services.catalog.vendors[type.vendor], try VendorToolKind.resolve(vendor)?.kind == .sum
        else { return nil }
        return destination
    }

    /// The device type's vendor tool (SUM, iLOrest, racadm) for settings only it can set, logging in to the BMC
    /// with the workflow's credential; the catalog gives its path (input `vendor_tool_path` overrides it).
    func vendorTool(_ context: StepContext) async throws -> VendorBIOSApplier {
        let type = try deviceType(context)
        guard
            let tool = try await catalogTool(
                context, type: type, timeout: .seconds(type.bios.performance?.vendorToolTimeout ?? 600))
        else {
            throw StepError(
                "\(type.name) has settings only a vendor tool can set, and the catalog names no BIOS tool for "
                    + "vendor \(type.vendor)")
        }
        return VendorBIOSApplier(tool: tool, map: services.catalog.biosAttributes)
    }

    /// `type`'s vendor's tool as the catalog names it (input `vendor_tool_path` overrides its path), logging in to
    /// the run's BMC with its credential; nil when the vendor has no tool HWAutomation drives.
    func catalogTool(_ context: StepContext, type: DeviceType, timeout: Duration) async throws
        -> (any VendorBIOSTool)?
    {
        let input = try context.input(CommissioningInput.self)
        guard let vendor = services.catalog.vendors[type.vendor], let resolved = try VendorToolKind.resolve(vendor)
        else { return nil }
        let endpoint = try await services.endpoint(input)
        return resolved.kind.tool(
            executable: input.vendorToolPath ?? resolved.executable,
            host: endpoint.baseURL.host ?? endpoint.host, user: endpoint.username ?? "",
            password: endpoint.password ?? "", runner: services.runner, logger: context.logger, timeout: timeout)
    }

    /// After a crash during `apply-bios`: wait for the host, read the BIOS back, and the settings routed to a vendor
    /// tool back with that tool. Everything desired already in place (over Redfish; the tool's settings as the
    /// tool's current values) means the apply happened; anything else is safe to run again: the apply PATCHes only
    /// what still differs, resets without a PATCH when the changes are pending, and on a re-run does not run the
    /// tool again for what it shows at the desired value, current or pending the reset.
    func checkApply(_ context: StepContext) async throws -> StepCheck {
        let input = try context.input(CommissioningInput.self)
        let client = try await services.client(context)
        do {
            let members = try await client.members(of: "Systems")
            let wanted = input.system
            let system = members.first { wanted == nil || $0.hasSuffix("/" + wanted!) } ?? members.first ?? ""
            // Whenever the reset came, its POST must be over before the BIOS is read (iLO and Supermicro say On
            // through POST).
            _ = try await client.waitForPOSTEnd(
                system: system, before: nil, timeout: services.hostTimeout, firstPoll: services.firstPoll,
                poll: services.postPoll, progress: { step in await context.report("POST: \(step.text)") })
        } catch {
            throw StepError.from(error)
        }
        let (_, plan) = try await plan(context)
        if try stagedFirmware(context) {
            // The reset that applies the staged BIOS firmware may not have happened: ask the BMC.
            let inventory = try await client.firmwareInventory(system: input.system)
            let staged = try context.output(CommissioningStepKeys.updateFirmware) ?? []
            for outcome in staged where outcome.state == "staged" {
                let running = inventory.version(of: outcome.component).map(FirmwareVersion.init)
                guard running?.isSame(as: FirmwareVersion(outcome.to)) == true else { return .safeToRun }
            }
        }
        if !plan.vendorToolChanges.isEmpty {
            let tool = try await vendorTool(context)
            let changes = tool.batch(for: plan.vendorToolChanges).changes
            let found: [String: VendorBIOSApplier.Found]
            do {
                found = try await tool.readBack(changes)
            } catch {
                throw StepError("\(error)")
            }
            guard changes.allSatisfy({ found[$0.setting] == .current }) else { return .safeToRun }
        }
        if plan.redfishChanges.isEmpty, !plan.items.contains(where: { $0.status == .pending }) {
            var output = try context.output(CommissioningStepKeys.planBIOS) ?? Self.summary(plan)
            output.reset = true
            return .completed(output: StepContext.json(output))
        }
        return .safeToRun
    }

    /// Whether an earlier step staged BIOS firmware for the next reset (the firmware-first workflow).
    func stagedFirmware(_ context: StepContext) throws -> Bool {
        let outcomes = try context.output(CommissioningStepKeys.updateFirmware) ?? []
        return outcomes.contains { $0.state == "staged" }
    }

    func verify(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        if input.dryRun { return .skipped(reason: "dry run: nothing changed") }
        // The apply's reset cleared what was pending: a desired value not current is wrong either way.
        let (_, plan) = try await plan(context, withPending: false)
        var wrong = plan.items.filter {
            $0.status == .change || $0.status == .pending || ($0.route == .vendorTool && $0.attribute != nil)
        }.map { "\($0.attribute ?? $0.setting)=\($0.current?.string ?? "?")" }
        let applied = try context.output(CommissioningStepKeys.applyBIOS)
        // Settings only the vendor tool can see (Redfish lacks them) are read back with the tool, unless the apply
        // already reported them not applied.
        let undone = Set((applied?.exceptions ?? []).map(\.setting))
        let toolOnly = plan.vendorToolChanges.filter { $0.attribute == nil && !undone.contains($0.setting) }
        if !toolOnly.isEmpty {
            let tool = try await vendorTool(context)
            let changes = tool.batch(for: toolOnly).changes
            do {
                let read = try await tool.verify(changes)
                wrong += changes.filter { read[$0.setting] != true }.map { "\($0.key) (\(tool.name))" }
            } catch {
                throw StepError("\(error)")
            }
        }
        guard wrong.isEmpty else {
            throw StepError("BIOS not as desired after apply: " + wrong.joined(separator: ", "))
        }
        // What apply-bios could not do stays undone: the verify step names each setting, its fate and why.
        var output = Self.summary(plan)
        let toolSettings = Set(plan.vendorToolChanges.map(\.setting))
        output.exceptions =
            plan.exceptions + (applied?.exceptions ?? []).filter { toolSettings.contains($0.setting) }
        if !output.blockingExceptions.isEmpty {
            await context.report(
                "BIOS configured with exceptions: "
                    + output.blockingExceptions.map(\.text).joined(separator: "; "), percent: 100)
        }
        return .done(output: StepContext.json(output))
    }

    // MARK: BMC

    func configureBMC(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        if input.dryRun { return .skipped(reason: "dry run: nothing changed") }
        guard let host = input.ipmiHost, !host.isEmpty else {
            return .skipped(reason: "no IPMI address for this server (input ipmi_host)")
        }
        let credential = try await services.credential(
            input.ipmiCredential ?? input.credential, for: "IPMI \(host)", host: host)
        return try await configureBMC(ipmiTool(host, credential, input), context)
    }

    /// ipmitool out of band to the BMC at `address`, logging in with `credential`.
    func ipmiTool(_ address: String, _ credential: Credential, _ input: CommissioningInput) -> IPMITool {
        IPMITool(
            target: IPMITarget(
                host: address, port: input.ipmiPort ?? 623, user: credential.user ?? "", password: credential.secret,
                executable: services.ipmitool),
            runner: services.runner)
    }

    /// The BMC configured in band: ipmitool on the host (under `sudo -n`), which never loses the BMC when its
    /// address changes. The MAAS-first workflow's host is its ephemeral environment.
    func configureBMCInBand(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        if input.dryRun { return .skipped(reason: "dry run: nothing changed") }
        guard let destination = input.sshHost, !destination.isEmpty else {
            throw StepError("no host to reach the BMC through (input ssh_host)")
        }
        let shell = try await shell(destination, context)
        do {
            let outcome = try await configureBMC(IPMITool(host: shell, runner: services.runner), context)
            await shell.close()
            return outcome
        } catch {
            await shell.close()
            throw error
        }
    }

    private func configureBMC(_ tool: IPMITool, _ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        do {
            let info = try await tool.mcInfo()
            await context.report("BMC firmware \(info.firmwareRevision ?? "?")", percent: 30)
            var lan = try await tool.lan()
            var changed = false
            if let pool = input.bmcPool, !pool.isEmpty {
                let address = try await services.store.assign(pool: pool, serverID: context.serverID)
                if lan.ip != address {
                    let settings = BMCNetworkSettings(
                        dhcp: false, address: address, netmask: input.bmcNetmask ?? lan.netmask,
                        gateway: input.bmcGateway ?? lan.gateway)
                    let change = try await tool.configureNetwork(settings, settle: .seconds(30))
                    guard !change.rolledBack else {
                        throw StepError("the BMC did not take \(address); its previous settings were put back")
                    }
                    lan = change.after
                    changed = true
                }
            }
            return .done(
                output: StepContext.json(
                    BMCStepOutput(
                        firmware: info.firmwareRevision, manufacturer: info.manufacturerName, address: lan.ip,
                        mac: lan.mac, changed: changed)))
        } catch let error as IPMIError {
            throw StepError("\(error)", transient: error.kind == .unreachable)
        }
    }

    // MARK: record

    func record(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        if input.dryRun { return .skipped(reason: "dry run: nothing changed") }
        let decided = try context.output(CommissioningStepKeys.classify)
        let applied = try context.output(CommissioningStepKeys.applyBIOS)
        let verified = try context.output(CommissioningStepKeys.verify)
        let exceptions = verified?.blockingExceptions ?? []
        let validation = try context.output(CommissioningStepKeys.validate)
        let status =
            validation?.passed == false
            ? BoardingSteps.needsAttention : exceptions.isEmpty ? "configured" : "configured-with-exceptions"
        var server =
            try await services.store.server(id: context.serverID)
            ?? ServerRecord(id: context.serverID, name: context.serverID)
        server.deviceType = decided?.deviceType
        server.confidence = decided?.confidence
        server.status = status
        var tags = Set(server.tags)
        if let type = decided?.deviceType { tags.insert(type) }
        if let vendor = decided?.vendor { tags.insert(vendor) }
        server.tags = tags.sorted()
        server.updatedAt = Date()
        try await services.store.upsertServer(server)
        try await services.store.audit(
            AuditEntry(
                actor: "workflow \(context.workflowID)", action: "server.\(status)", target: context.serverID,
                detail:
                    "type \(decided?.deviceType ?? "?"), \(applied?.changes.count ?? 0) BIOS changes, backup \(applied?.backup ?? "none")"
                    + (exceptions.isEmpty
                        ? "" : "; not applied: " + exceptions.map(\.text).joined(separator: "; "))
                    + (validation?.passed == false
                        ? "; boarding validation failed: " + (validation?.reasons ?? []).joined(separator: "; ") : "")
            ))
        return .done(output: StepContext.json(["status": status, "device_type": decided?.deviceType ?? ""]))
    }
}

/// What `configure-bmc` found or set.
public struct BMCStepOutput: Sendable, Hashable, Codable {
    /// BMC firmware revision.
    public var firmware: String?
    /// BMC manufacturer.
    public var manufacturer: String?
    /// Its address now.
    public var address: String?
    /// Its MAC.
    public var mac: String?
    /// Whether the network settings were changed.
    public var changed: Bool
}

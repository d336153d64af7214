import BIOS
import Catalog
import Firmware
import Foundation
import IPMI
import Inventory
import Redfish
import Store
import WorkflowEngine

/// Boarding validation, the `validate` step of intelligent commissioning and of `boarding-validation`: reads the
/// BMC (read-only: Secure Boot, sensors, logs, interfaces, drives through `BoardingReader`; the BIOS plan; the
/// firmware inventory when the repository has images for the vendor; IPMI `mc info` when the run has an IPMI
/// address) and judges it against the device type (`BoardingValidator`). A failed check marks the server
/// `needs-attention` with the reasons; the step's output, the `BoardingReport`, says which checks passed.
struct BoardingSteps: Sendable {
    let services: CommissioningServices

    /// The step's retries: a BMC that cannot be reached is tried again; at the last attempt it is the report's
    /// `bmc-redfish` failure.
    static let retry = RetryPolicy()

    /// The status a failed validation gives a server.
    static let needsAttention = "needs-attention"
    /// The status a validation that passes gives a server that needed attention.
    static let validated = "validated"

    func validate(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        let type = try await deviceType(context, input)
        let since = try await commissioningStart(context)
        let validator = BoardingValidator(type: type, since: since)
        let client: RedfishClient
        let facts: BoardingFacts
        do {
            client = try await services.client(context)
            await context.report("reading \(client.endpoint.host): sensors, logs, links, drives", percent: 10)
            _ = try await client.serviceRoot()
            // Read afresh, not through what the run has already read: health is judged as it is now; and not kept
            // (sensors, logs, links and drives are read by no later step).
            facts = await BoardingReader(source: client.forgetful, systemID: input.system).read(since: since)
        } catch {
            let failure = StepError.from(error)
            // A transient failure is tried again; at the last attempt (or when trying again cannot help) the BMC's
            // silence is the report's first failure, and nothing else can be judged.
            guard !((failure as? StepError)?.isTransient ?? false) || context.attempt >= Self.retry.maxAttempts else {
                throw failure
            }
            let checks = BoardingCheck.Name.allCases.map { name in
                name == .bmcRedfish
                    ? BoardingCheck(name, .failed, "\(error)")
                    : BoardingCheck(name, .notChecked, "the BMC did not answer Redfish")
            }
            return try await finish(
                context, input,
                BoardingReport(
                    serverID: context.serverID, deviceType: type.name, checks: checks, since: since, checkedAt: Date()))
        }
        let bios = await biosPlan(context, input, client, type)
        await context.report("checking IPMI and firmware", percent: 60)
        let report = BoardingReport(
            serverID: context.serverID, deviceType: type.name,
            checks: validator.checks(
                facts: facts, bios: bios,
                redfish: "answered at \(client.endpoint.host) as \(client.endpoint.username ?? "the session's user")",
                ipmi: await ipmi(input), firmware: await firmware(context, input, client, type)),
            since: since, checkedAt: Date())
        return try await finish(context, input, report)
    }

    /// Stores the verdict on the server (unless a dry run) and returns the report as the step's output.
    private func finish(_ context: StepContext, _ input: CommissioningInput, _ report: BoardingReport) async throws
        -> StepOutcome
    {
        let summary =
            report.passed
            ? "boarding validation passed (\(report.checks.filter { $0.result == .passed }.count) of "
                + "\(report.checks.count) checks; the rest not checked)"
            : "needs attention: " + report.reasons.joined(separator: "; ")
        await context.report(summary, percent: 100)
        if !input.dryRun {
            try await StepError.storing {
                guard var server = try await services.store.server(id: context.serverID) else { return }
                let status =
                    report.passed
                    ? (server.status == Self.needsAttention ? Self.validated : server.status) : Self.needsAttention
                guard status != server.status || !report.passed else { return }
                server.status = status
                server.updatedAt = Date()
                try await services.store.upsertServer(server)
                try await services.store.audit(
                    AuditEntry(
                        actor: "workflow \(context.workflowID)", action: "server.\(status)",
                        target: context.serverID,
                        detail: report.passed ? "boarding validation passed" : report.reasons.joined(separator: "; ")))
            }
        }
        return .done(output: StepContext.json(report))
    }

    /// The type from `classify` (intelligent commissioning), else the input's, else the server's recorded one.
    private func deviceType(_ context: StepContext, _ input: CommissioningInput) async throws -> DeviceType {
        let recorded = try await StepError.storing { try await services.store.server(id: context.serverID) }
        guard
            let name = try context.output(CommissioningStepKeys.classify)?.deviceType ?? input.deviceType
                ?? recorded?.deviceType
        else {
            throw StepError(
                "no device type is recorded for \(context.serverID): commission it (or pass a device type) first")
        }
        guard let type = services.catalog.deviceType(named: name) else {
            throw StepError("device type \(name) of \(context.serverID) is not in the catalog")
        }
        return type
    }

    /// Log entries are judged from the start of the server's commissioning: this run's start when it commissions
    /// (intelligent commissioning), else the start of the server's newest commissioning run; nil when it has none.
    private func commissioningStart(_ context: StepContext) async throws -> Date? {
        if try context.output(CommissioningStepKeys.classify) != nil {
            return try await StepError.storing { try await services.store.workflow(id: context.workflowID)?.created }
        }
        let commissioning: Set<String> = [
            CommissioningWorkflows.intelligent, CommissioningWorkflows.deviceSpecific, FirmwareWorkflows.firmwareFirst,
            MAASProvisioning.name,
        ]
        let runs = try await StepError.storing {
            try await services.store.workflows(WorkflowFilter(serverID: context.serverID, limit: 50))
        }
        return runs.first { commissioning.contains($0.definition) }?.created
    }

    /// The type's BIOS plan without the pending settings (what runs now), or why it cannot be made.
    private func biosPlan(
        _ context: StepContext, _ input: CommissioningInput, _ client: RedfishClient, _ type: DeviceType
    ) async -> Result<BIOSPlan, BoardingValidator.Unread> {
        let bios = await services.clients.bios(
            for: context.workflowID, client: client, registries: services.registries, logger: context.logger)
        do {
            try await bios.discover(system: input.system)
            return .success(
                try await bios.plan(
                    try services.desired(type), type: type, catalog: services.catalog, withPending: false))
        } catch {
            return .failure(BoardingValidator.Unread(why: "the BIOS could not be planned: \(error)"))
        }
    }

    /// `mc info` with the run's IPMI address and credential.
    private func ipmi(_ input: CommissioningInput) async -> BoardingValidator.IPMIReach {
        guard let host = input.ipmiHost, !host.isEmpty else { return .notConfigured }
        do {
            let credential = try await services.credential(
                input.ipmiCredential ?? input.credential, for: "IPMI \(host)", host: host)
            let info = try await CommissioningSteps(services: services).ipmiTool(host, credential, input).mcInfo()
            return .answered(firmware: info.firmwareRevision)
        } catch {
            return .failed("IPMI at \(host) did not answer: \(error)")
        }
    }

    /// The running firmware planned under the run's policy (a manual policy's lines approved: the question is
    /// whether the server is behind, not whether to flash).
    private func firmware(
        _ context: StepContext, _ input: CommissioningInput, _ client: RedfishClient, _ type: DeviceType
    ) async -> BoardingValidator.FirmwareFacts {
        guard let firmware = services.firmware else { return .notCompared("no firmware repository is configured") }
        do {
            let images = try firmware.library.images()
            guard images.contains(where: { $0.vendor == type.vendor }) else {
                return .notCompared("the firmware repository has no image for \(type.vendor)")
            }
            let hardware = try context.output(CommissioningStepKeys.discover)
            let recorded = try await services.store.server(id: context.serverID)
            let inventory =
                hardware
                ?? recorded?.inventory.flatMap {
                    try? JSONDecoder().decode(Inventory.self, from: Data($0.utf8))
                }
            let running = try await client.firmwareInventory(system: input.system)
            return .plan(
                try FirmwarePlanner(catalog: services.catalog, images: images).plan(
                    server: context.serverID,
                    target: FirmwareTarget(
                        vendor: type.vendor, deviceType: type.name, board: inventory?.baseboard.product,
                        model: inventory?.system.product),
                    inventory: running, policyName: input.firmwarePolicy ?? firmware.defaultPolicy, approve: true))
        } catch {
            return .notCompared("firmware not compared: \(error)")
        }
    }
}

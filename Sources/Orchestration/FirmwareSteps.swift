import BIOS
import Catalog
import Firmware
import Foundation
import Inventory
import Redfish
import Store
import VendorTools
import WorkflowEngine

/// The firmware steps: read the running versions, plan against the repository under a policy, flash (BMC first,
/// BIOS staged for the one reset), verify, record.
struct FirmwareSteps: Sendable {
    let services: CommissioningServices

    var firmware: FirmwareServices {
        get throws {
            guard let firmware = services.firmware else {
                throw StepError(
                    "no firmware repository is configured (--firmware-dir or HWA_FIRMWARE_DIR); "
                        + "`hwautomation firmware add` records images")
            }
            return firmware
        }
    }

    func updater(_ context: StepContext) async throws -> FirmwareUpdater {
        let input = try context.input(CommissioningInput.self)
        let firmware = try firmware
        var options = firmware.options
        options.safety = services.catalog.settings.firmware
        options.retryDelay = firmware.retryDelay ?? .seconds(options.safety.retryDelaySeconds)
        options.hostTimeout = services.hostTimeout
        options.firstPoll = services.firstPoll
        options.fallbackTool = try await fallbackTool(context)
        options.system = input.system
        return FirmwareUpdater(
            client: try await services.client(context), library: firmware.library, options: options,
            logger: context.logger)
    }

    /// The vendor's tool (SUM, iLOrest, racadm, as the catalog names it) for when the UpdateService cannot take an
    /// image; nil when the server is not classified or its vendor has no tool.
    func fallbackTool(_ context: StepContext) async throws -> (any VendorFirmwareTool)? {
        guard let decided = try context.output(CommissioningStepKeys.classify),
            let type = services.catalog.deviceType(named: decided.deviceType)
        else { return nil }
        return try await CommissioningSteps(services: services).catalogTool(
            context, type: type, timeout: .seconds(3600))
            as? any VendorFirmwareTool
    }

    /// Reads the running firmware versions over Redfish.
    func inventory(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        let client = try await services.client(context)
        do {
            let inventory = try await client.firmwareInventory(system: input.system)
            return .done(output: StepContext.json(inventory))
        } catch {
            throw StepError.from(error)
        }
    }

    /// The plan: the policy (`firmware_policy`, else the configured default) over the repository's images that
    /// fit the classified type, vendor, board and model; `firmware_approve=true` approves a manual policy's lines.
    func plan(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        guard let inventory = try context.output(CommissioningStepKeys.firmwareInventory) else {
            throw StepError("no firmware inventory from firmware-inventory")
        }
        let decided = try context.output(CommissioningStepKeys.classify)
        let hardware = try context.output(CommissioningStepKeys.discover)
        let type = decided.flatMap { services.catalog.deviceType(named: $0.deviceType) }
        guard let vendor = type?.vendor ?? decided?.vendor ?? VendorName.normalise(hardware?.system.manufacturer)
        else {
            throw StepError("the server's vendor is unknown, so no firmware image can be chosen")
        }
        let policy = input.firmwarePolicy
        let images: [FirmwareImage]
        do {
            images = try services.firmware?.library.images() ?? []
        } catch {
            throw StepError("\(error)")
        }
        do {
            let plan = try FirmwarePlanner(catalog: services.catalog, images: images).plan(
                server: context.serverID,
                target: FirmwareTarget(
                    vendor: vendor, deviceType: type?.name, board: hardware?.baseboard.product,
                    model: hardware?.system.product),
                inventory: inventory, policyName: policy ?? services.firmware?.defaultPolicy,
                approve: input.firmwareApprove)
            return .done(output: StepContext.json(plan))
        } catch {
            throw StepError("\(error)")
        }
    }

    /// Flashes the plan's updates (BMC, then BIOS staged); with `resetHost` resets once and verifies the BIOS.
    func update(_ context: StepContext, resetHost: Bool) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        if input.dryRun { return .skipped(reason: "dry run: nothing flashed") }
        guard let plan = try context.output(CommissioningStepKeys.planFirmware) else {
            throw StepError("no plan from plan-firmware")
        }
        guard !plan.updates.isEmpty else { return .skipped(reason: "nothing to update under policy \(plan.policy)") }
        let updater = try await updater(context)
        let outcomes = try await updater.run(plan, resetHost: resetHost, skippingPresent: context.attempt > 1) {
            message, percent in
            await context.report(message, percent: percent.map(Double.init))
        }
        return .done(output: StepContext.json(outcomes))
    }

    /// After a crash during `update-firmware`. First the BMC's TaskService: an update task for a planned image that
    /// is still in flight is followed to its end (progress reported; BMC firmware then until it runs), not started
    /// again. Then the versions: a planned update whose component runs (or has staged) its target is done, and all
    /// of them done completes the step. An image whose task ended in an exception (or was killed or cancelled) and
    /// whose version is not there needs an operator: the task cannot say how much it wrote, so the BMC's message
    /// and what it runs now are given instead of flashing again. Otherwise nothing was flashed: running again is
    /// safe (the image and checks are the same).
    func checkUpdate(_ context: StepContext) async throws -> StepCheck {
        let input = try context.input(CommissioningInput.self)
        guard !input.dryRun, let plan = try context.output(CommissioningStepKeys.planFirmware), !plan.updates.isEmpty
        else { return .safeToRun }
        let client = try await services.client(context)
        let updater = try await updater(context)
        var tasks: [FirmwareComponent: FirmwareUpdateTask] = [:]
        for item in plan.updates {
            guard let target = item.target else { continue }
            do {
                guard var task = try await updater.updateTask(for: target) else { continue }
                if task.isRunning {
                    await context.report(
                        "following \(task.id), the \(item.component.rawValue) \(target.version) update an earlier "
                            + "attempt started", percent: 0)
                    do {
                        try await updater.follow(task, image: target) { message, percent in
                            await context.report(message, percent: percent.map(Double.init))
                        }
                        task.state = "Completed"
                    } catch {
                        return .needsOperator(
                            reason: "the \(item.component.rawValue) \(target.version) update an interrupted attempt "
                                + "started (\(task.id)) did not complete: \(error); check the component, then "
                                + "`workflow resume \(context.workflowID)`")
                    }
                }
                tasks[item.component] = task
            } catch let error as FirmwareError {
                throw StepError("\(error)")
            } catch {
                throw StepError.from(error)
            }
        }
        let inventory: FirmwareInventory
        do {
            inventory = try await client.firmwareInventory(system: input.system)
        } catch {
            throw StepError.from(error)
        }
        var outcomes: [FirmwareUpdater.Outcome] = []
        var missing = false
        for item in plan.updates {
            guard let target = item.target else { continue }
            let task = tasks[item.component]
            let matches = inventory.items.filter {
                $0.component == item.component
                    && FirmwareVersion($0.version).isSame(as: target.parsedVersion)
            }
            guard let found = matches.first else {
                if let task, task.failed {
                    let running = inventory.version(of: item.component) ?? "an unknown version"
                    return .needsOperator(
                        reason: "the \(item.component.rawValue) \(target.version) update an interrupted attempt "
                            + "started (\(task.id)) ended \(task.state)"
                            + (task.messages.isEmpty ? "" : ": " + task.messages.joined(separator: "; "))
                            + "; the BMC reports \(item.component.rawValue) \(running). It may have written part "
                            + "of the image: check the component (recover or roll back), then "
                            + "`workflow resume \(context.workflowID)`")
                }
                missing = true
                continue
            }
            outcomes.append(
                FirmwareUpdater.Outcome(
                    component: item.component, from: item.current, to: target.version,
                    method: task?.method ?? "unknown", task: task.map { $0.monitor ?? $0.id },
                    state: found.isActive ? "active" : "staged", requests: 0))
        }
        return missing ? .safeToRun : .completed(CommissioningStepKeys.updateFirmware, outcomes)
    }

    /// Every flashed component runs its new version (rolled back, with the error, when not).
    func verify(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        if input.dryRun { return .skipped(reason: "dry run: nothing flashed") }
        guard let outcomes = try context.output(CommissioningStepKeys.updateFirmware),
            !outcomes.isEmpty
        else {
            return .skipped(reason: "nothing was flashed")
        }
        let updater = try await updater(context)
        for outcome in outcomes {
            try await updater.verifyActive(outcome.component, version: outcome.to, previous: outcome.from)
        }
        return .done(output: StepContext.json(outcomes.map { "\($0.component.rawValue) \($0.to)" }))
    }

    /// Writes the running versions into the server's record (its inventory), for the compliance report.
    func record(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        if input.dryRun { return .skipped(reason: "dry run: nothing changed") }
        let client = try await services.client(context)
        let firmware: FirmwareInventory
        do {
            firmware = try await client.firmwareInventory(system: input.system)
        } catch {
            throw StepError.from(error)
        }
        var server =
            try await services.store.server(id: context.serverID)
            ?? ServerRecord(id: context.serverID, name: context.serverID)
        var inventory =
            server.inventory.flatMap { try? JSONDecoder().decode(Inventory.self, from: Data($0.utf8)) }
            ?? Inventory()
        inventory.bios.version = firmware.version(of: .bios) ?? inventory.bios.version
        if let bmc = firmware.version(of: .bmc) {
            inventory.bmc = inventory.bmc ?? BMCInfo()
            inventory.bmc?.firmware = bmc
        }
        server.inventory = StepContext.json(inventory)
        server.updatedAt = Date()
        try await services.store.upsertServer(server)
        let flashed = (try? context.output(CommissioningStepKeys.updateFirmware)) ?? nil
        if let flashed, !flashed.isEmpty {
            try await services.store.audit(
                AuditEntry(
                    actor: "workflow \(context.workflowID)", action: "firmware.updated", target: context.serverID,
                    detail: flashed.map { "\($0.component.rawValue) \($0.from ?? "?") → \($0.to)" }.joined(
                        separator: ", ")))
        }
        return .done(
            output: StepContext.json([
                "bios": firmware.version(of: .bios) ?? "", "bmc": firmware.version(of: .bmc) ?? "",
            ]))
    }
}

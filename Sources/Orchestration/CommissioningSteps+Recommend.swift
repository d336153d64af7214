import Catalog
import Firmware
import Inventory
import WorkflowEngine

/// What `recommend` decided for the rest of an intelligent commissioning, and why.
public struct RecommendStepOutput: Sendable, Hashable, Codable {
    /// The recommendation (workflow, type, BIOS method, vendor tools, reasons).
    public var recommendation: WorkflowRecommendation
    /// Security or critical updates the discovered versions lack (`bmc 1.73.14 → 1.74.06 (security)`).
    public var urgentFirmware: [String]
    /// Updates the policy plans from the discovered versions, urgent or not.
    public var plannedFirmware: Int
    /// Whether the firmware steps run before the BIOS settings (one reset for both).
    public var firmwareFirst: Bool
    /// Why the run follows or does not follow the recommendation's firmware advice.
    public var decision: String

    enum CodingKeys: String, CodingKey {
        case recommendation
        case urgentFirmware = "urgent_firmware"
        case plannedFirmware = "planned_firmware"
        case firmwareFirst = "firmware_first"
        case decision
    }
}

extension CommissioningSteps {
    /// The workflow recommendation for the discovered and classified server, which the run then follows: the
    /// firmware steps run before the BIOS settings (the BIOS image staged for the settings' one reset) when the
    /// repository has security or critical updates the discovered versions lack, or when the type's firmware
    /// profile puts security first and the policy plans any update. Sends no request: the versions are those
    /// discovery read (BIOS from the system, BMC from its manager).
    func recommend(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        guard let inventory = try context.output(CommissioningStepKeys.discover),
            let decided = try context.output(CommissioningStepKeys.classify),
            let type = services.catalog.deviceType(named: decided.deviceType)
        else {
            throw StepError("no classified inventory from discover and classify")
        }
        let classification = services.classifier.classify(inventory)
        var recommendation =
            classification.deviceType == type.name
            ? WorkflowRecommendation(inventory: inventory, classification: classification, catalog: services.catalog)
            : WorkflowRecommendation(chosen: type, inventory: inventory, catalog: services.catalog)
        let securityFirst = recommendation.workflow == .firmwareFirst
        guard let firmware = services.firmware else {
            let output = RecommendStepOutput(
                recommendation: recommendation, urgentFirmware: [], plannedFirmware: 0, firmwareFirst: false,
                decision: "no firmware repository is configured: firmware not compared, BIOS settings only")
            return .done(output: StepContext.json(output))
        }
        let images: [FirmwareImage]
        do {
            images = try firmware.library.images()
        } catch {
            throw StepError("the firmware repository, for the recommendation: \(error)")
        }
        guard images.contains(where: { $0.vendor == type.vendor }) else {
            let output = RecommendStepOutput(
                recommendation: recommendation, urgentFirmware: [], plannedFirmware: 0, firmwareFirst: false,
                decision: "the firmware repository has no image for \(type.vendor): firmware not compared, BIOS "
                    + "settings only")
            return .done(output: StepContext.json(output))
        }
        let plan: FirmwarePlan
        do {
            plan = try FirmwarePlanner(catalog: services.catalog, images: images).plan(
                server: context.serverID,
                target: FirmwareTarget(
                    vendor: type.vendor, deviceType: type.name, board: inventory.baseboard.product,
                    model: inventory.system.product),
                inventory: FirmwareInventory.from(
                    biosVersion: inventory.bios.version, bmcVersion: inventory.bmc?.firmware, source: "discovery"),
                policyName: input.firmwarePolicy ?? firmware.defaultPolicy, approve: input.firmwareApprove)
        } catch {
            throw StepError("the firmware plan for the recommendation: \(error)")
        }
        let urgent = plan.urgentUpdates
        recommendation.steer(urgent: urgent)
        let first = !urgent.isEmpty || (securityFirst && !plan.updates.isEmpty)
        let decision =
            first
            ? "firmware first: \(plan.updates.count) update(s) under policy \(plan.policy), then the BIOS settings "
                + "(one reset for both)"
            : securityFirst
                ? "firmware already at policy \(plan.policy)'s versions: no firmware step needed"
                : "no security or critical firmware update pending: BIOS settings only"
        await context.report("recommendation: \(recommendation.workflow.rawValue); \(decision)", percent: 100)
        let output = RecommendStepOutput(
            recommendation: recommendation, urgentFirmware: urgent, plannedFirmware: plan.updates.count,
            firmwareFirst: first, decision: decision)
        return .done(output: StepContext.json(output))
    }

    /// `run` when `recommend` asked for firmware first; skipped with the reason otherwise.
    static func whenFirmwareFirst(
        _ run: @escaping @Sendable (StepContext) async throws -> StepOutcome
    ) -> @Sendable (StepContext) async throws -> StepOutcome {
        { context in
            guard let recommended = try context.output(CommissioningStepKeys.recommend) else {
                throw StepError("no recommendation from recommend")
            }
            guard recommended.firmwareFirst else { return .skipped(reason: recommended.decision) }
            return try await run(context)
        }
    }
}

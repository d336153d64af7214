import Store
import WorkflowEngine

/// The commissioning workflows, as engine definitions.
///
/// Intelligent commissioning: discover (Redfish, and SSH when the server has a host) → classify (low or no
/// confidence waits for an operator's `--device-type`) → recommend (when it says firmware first: read, plan and
/// flash firmware, the BIOS image staged for the settings' reset) → plan BIOS → configure the BMC (IPMI, when the
/// server has an IPMI address) → apply BIOS (one PATCH, one reset) → verify → validate (boarding checks; a failure
/// makes the server `needs-attention` and it is not commissioned) → record → commission in MAAS (tagged with what
/// it is; skipped when no MAAS is configured). Device-specific provisioning is the same without the
/// recommendation, the firmware steps and validation, with the type given: a classification that disagrees is an
/// error unless `force`.
public enum CommissioningWorkflows {
    /// `intelligent-commissioning`.
    public static let intelligent = "intelligent-commissioning"
    /// `device-specific-provisioning`.
    public static let deviceSpecific = "device-specific-provisioning"

    /// Every commissioning definition over `services`.
    public static func definitions(_ services: CommissioningServices) -> [WorkflowDefinition] {
        [
            definition(intelligent, services, requireType: false),
            definition(deviceSpecific, services, requireType: true),
            MAASProvisioning.definition(services),
            DriftWorkflows.definition(services),
            BoardingWorkflows.definition(services),
        ] + FirmwareWorkflows.definitions(services)
    }

    static func definition(_ name: String, _ services: CommissioningServices, requireType: Bool) -> WorkflowDefinition {
        let steps = CommissioningSteps(services: services)
        let firmware = FirmwareSteps(services: services)
        let followed = CommissioningSteps.whenFirmwareFirst
        // Intelligent commissioning follows the recommendation: the firmware steps (BMC flashed, BIOS staged for
        // the settings' one reset) run only when `recommend` asks for firmware first, and are skipped with its
        // reason otherwise.
        let recommended: [StepDefinition] =
            requireType
            ? []
            : [
                StepDefinition(
                    CommissioningStepKeys.recommend, idempotent: true, timeout: .seconds(60), run: steps.recommend)
            ]
                + FirmwareWorkflows.firmwareSteps(firmware, services, resetHost: false).map { step in
                    var step = step
                    step.run = followed(step.run)
                    return step
                }
        let verifiedFirmware: [StepDefinition] =
            requireType
            ? []
            : [
                StepDefinition(
                    CommissioningStepKeys.verifyFirmware, idempotent: true, timeout: .seconds(600),
                    run: followed(firmware.verify))
            ]
        let validated: [StepDefinition] = requireType ? [] : [BoardingWorkflows.validateStep(services)]
        let recordedFirmware: [StepDefinition] =
            requireType
            ? []
            : [
                StepDefinition(
                    CommissioningStepKeys.recordFirmware, idempotent: true, timeout: .seconds(60),
                    run: followed(firmware.record))
            ]
        return WorkflowDefinition(
            name: name, version: requireType ? 2 : 3,
            summary: requireType
                ? "provision as the given device type (classification must agree unless --force)"
                : "discover, classify, follow the recommendation (firmware first when a security update is pending), "
                    + "plan and apply BIOS, configure the BMC, verify, record, commission in MAAS",
            steps: discoverAndClassify(steps, requireType: requireType) + recommended
                + configureBIOS(steps, services) + verifiedFirmware + validated + [
                    StepDefinition(
                        CommissioningStepKeys.record, idempotent: true, timeout: .seconds(60), run: steps.record)
                ] + recordedFirmware + [commission(steps, services)],
            inputType: CommissioningInput.self, permitKeys: permitKeys,
            onStop: { workflow in await services.stopped(workflow) })
    }

    /// plan-bios → configure-bmc (it moves the BMC's address: checked after a crash) → apply-bios (one PATCH, one
    /// reset; checked after a crash) → verify.
    static func configureBIOS(_ steps: CommissioningSteps, _ services: CommissioningServices) -> [StepDefinition] {
        [
            StepDefinition(
                CommissioningStepKeys.planBIOS, idempotent: true, timeout: .seconds(300), run: steps.planBIOS),
            StepDefinition(
                CommissioningStepKeys.configureBMC, idempotent: false, mutating: true, timeout: .seconds(600),
                check: steps.checkConfigureBMC, run: steps.configureBMC),
            StepDefinition(
                CommissioningStepKeys.applyBIOS, idempotent: false, mutating: true,
                timeout: services.hostTimeout + .seconds(600),
                retry: RetryPolicy(maxAttempts: 3), check: steps.checkApply, run: steps.applyBIOS),
            StepDefinition(CommissioningStepKeys.verify, idempotent: true, timeout: .seconds(300), run: steps.verify),
        ]
    }

    /// Commissioning in MAAS (skipped with the reason when no MAAS is configured).
    static func commission(_ steps: CommissioningSteps, _ services: CommissioningServices) -> StepDefinition {
        StepDefinition(
            CommissioningStepKeys.commission, idempotent: true, timeout: services.hostTimeout + .seconds(300),
            run: steps.commissionInMAAS)
    }

    /// Mutating steps are limited per BMC (input `bmc`) and per vendor (as classified).
    static let permitKeys: @Sendable (StepContext) -> PermitKeys = { context in
        let input = try? context.input(CommissioningInput.self)
        return PermitKeys(
            bmc: bmcKey(input?.bmc, system: input?.system),
            vendor: (try? context.output(CommissioningStepKeys.classify))??.vendor)
    }

    /// The BMC's canonical identity (`BMCIdentity.key`: scheme, host and port normalised, the system when named),
    /// which keys its concurrency permit here and its lock in the store; the address as given when it cannot be
    /// parsed (the step itself then fails naming it).
    static func bmcKey(_ address: String?, system: String?) -> String? {
        guard let address else { return nil }
        return (try? BMCIdentity(address: address, systemID: system).key) ?? address
    }

    /// `discover` then `classify` (an ambiguous or unknown server waits for an operator; unless `requireType`).
    static func discoverAndClassify(_ steps: CommissioningSteps, requireType: Bool = false) -> [StepDefinition] {
        [
            StepDefinition(
                CommissioningStepKeys.discover, idempotent: true, timeout: .seconds(600), run: steps.discover),
            StepDefinition(
                CommissioningStepKeys.classify, idempotent: true, timeout: .seconds(60),
                retry: RetryPolicy(maxAttempts: 1),
                run: { try await steps.classify($0, requireType: requireType) }),
        ]
    }
}

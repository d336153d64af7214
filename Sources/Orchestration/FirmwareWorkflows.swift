import Catalog
import Firmware
import Store
import WorkflowEngine

/// The firmware workflows, as engine definitions.
///
/// `firmware-update`: discover → classify → read firmware → plan (policy) → flash (BMC without a host reset;
/// BIOS staged, then one reset) → verify → record. `firmware-first-provisioning`: the same firmware steps before
/// the BIOS settings, whose one reset also applies the staged BIOS firmware (one reboot in all), then verify
/// both, record and commission in MAAS.
public enum FirmwareWorkflows {
    /// `firmware-update`.
    public static let update = "firmware-update"
    /// `firmware-first-provisioning`.
    public static let firmwareFirst = "firmware-first-provisioning"

    /// Both definitions over `services`.
    public static func definitions(_ services: CommissioningServices) -> [WorkflowDefinition] {
        [standalone(services), firstThenBIOS(services), FirmwareRollout.definition(services)]
    }

    static func standalone(_ services: CommissioningServices) -> WorkflowDefinition {
        let steps = CommissioningSteps(services: services)
        let firmware = FirmwareSteps(services: services)
        return WorkflowDefinition(
            name: update, version: 1,
            summary: "read firmware, plan by policy, update BMC then BIOS (one reset), verify, record",
            steps: CommissioningWorkflows.discoverAndClassify(steps)
                + firmwareSteps(firmware, services, resetHost: true) + [
                    StepDefinition(
                        CommissioningStepKeys.verifyFirmware, idempotent: true, timeout: .seconds(600),
                        run: firmware.verify),
                    StepDefinition(
                        CommissioningStepKeys.recordFirmware, idempotent: true, timeout: .seconds(60),
                        run: firmware.record),
                ],
            inputType: CommissioningInput.self, permitKeys: CommissioningWorkflows.permitKeys,
            onStop: { workflow in await services.stopped(workflow) })
    }

    static func firstThenBIOS(_ services: CommissioningServices) -> WorkflowDefinition {
        let steps = CommissioningSteps(services: services)
        let firmware = FirmwareSteps(services: services)
        return WorkflowDefinition(
            name: firmwareFirst, version: 1,
            summary: "firmware first (BMC, BIOS staged), then BIOS settings: one reset for both; verify, record",
            steps: CommissioningWorkflows.discoverAndClassify(steps)
                + firmwareSteps(firmware, services, resetHost: false)
                + CommissioningWorkflows.configureBIOS(steps, services) + [
                    StepDefinition(
                        CommissioningStepKeys.verifyFirmware, idempotent: true, timeout: .seconds(600),
                        run: firmware.verify),
                    StepDefinition(
                        CommissioningStepKeys.record, idempotent: true, timeout: .seconds(60), run: steps.record),
                    StepDefinition(
                        CommissioningStepKeys.recordFirmware, idempotent: true, timeout: .seconds(60),
                        run: firmware.record),
                    CommissioningWorkflows.commission(steps, services),
                ],
            inputType: CommissioningInput.self, permitKeys: CommissioningWorkflows.permitKeys,
            onStop: { workflow in await services.stopped(workflow) })
    }

    static func firmwareSteps(
        _ firmware: FirmwareSteps, _ services: CommissioningServices, resetHost: Bool
    ) -> [StepDefinition] {
        [
            StepDefinition(
                CommissioningStepKeys.firmwareInventory, idempotent: true, timeout: .seconds(300),
                run: firmware.inventory),
            StepDefinition(
                CommissioningStepKeys.planFirmware, idempotent: true, timeout: .seconds(60), run: firmware.plan),
            StepDefinition(
                CommissioningStepKeys.updateFirmware, idempotent: false, mutating: true,
                timeout: services.hostTimeout + .seconds(3600), retry: RetryPolicy(maxAttempts: 1),
                check: firmware.checkUpdate, run: { try await firmware.update($0, resetHost: resetHost) }),
        ]
    }
}

import WorkflowEngine

/// The drift check as an engine definition: `drift-check`, one read-only step per server (`check-drift`), started
/// by `hwautomation drift`, `POST /api/v1/drift/sweep` and `serve --drift-every`.
public enum DriftWorkflows {
    /// `drift-check`.
    public static let check = "drift-check"

    /// The definition over `services`.
    public static func definition(_ services: CommissioningServices) -> WorkflowDefinition {
        let steps = DriftSteps(services: services)
        return WorkflowDefinition(
            name: check, version: 1,
            summary: "read the BMC and compare BIOS settings and firmware with the device type's desired state",
            steps: [
                StepDefinition(
                    CommissioningStepKeys.checkDrift, idempotent: true, timeout: .seconds(300), retry: DriftSteps.retry,
                    run: steps.check)
            ],
            inputType: CommissioningInput.self, permitKeys: CommissioningWorkflows.permitKeys,
            // Only the client is closed: a check that could not read the BMC says so in the drift record and
            // leaves the server's own status (commissioned, configured) as it was.
            onStop: { workflow in await services.clients.close(workflow.id) })
    }
}

import WorkflowEngine

/// Boarding validation as an engine definition: `boarding-validation`, one read-only `validate` step per server
/// (the step intelligent commissioning runs before it records the server), started by `hwautomation validate` and
/// `POST /api/v1/validation`.
public enum BoardingWorkflows {
    /// `boarding-validation`.
    public static let validation = "boarding-validation"

    /// The definition over `services`.
    public static func definition(_ services: CommissioningServices) -> WorkflowDefinition {
        WorkflowDefinition(
            name: validation, version: 1,
            summary: "read the BMC and judge the server fit to hand over: boot mode, Secure Boot, BMC reach, "
                + "sensors, critical log entries, links, drives, firmware",
            steps: [validateStep(services)],
            inputType: CommissioningInput.self, permitKeys: CommissioningWorkflows.permitKeys,
            // Only the client is closed: the step itself marks the server `needs-attention` (with why) when a check
            // fails; a run that could not finish leaves the server's status as it was.
            onStop: { workflow in await services.clients.close(workflow.id) })
    }

    /// The `validate` step.
    static func validateStep(_ services: CommissioningServices) -> StepDefinition {
        StepDefinition(
            CommissioningStepKeys.validate, idempotent: true, timeout: .seconds(300), retry: BoardingSteps.retry,
            run: BoardingSteps(services: services).validate)
    }
}

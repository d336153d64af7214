/// One step of a workflow: what it does, whether it may simply be run again, and its limits.
public struct StepDefinition: Sendable {
    /// Unique within its workflow (`apply-bios`).
    public var name: String
    /// Running it twice does no harm (reads, plans, records). A step that is not idempotent and was in flight when
    /// the process stopped is checked (`check`) before it runs again, never blindly re-run.
    public var idempotent: Bool
    /// It changes the server or its BMC: it holds the BMC's (and vendor's) concurrency permit while it runs.
    public var mutating: Bool
    /// Abandoned (and failed) after this long.
    public var timeout: Duration
    /// Retries for transient errors.
    public var retry: RetryPolicy
    /// The work.
    public var run: @Sendable (StepContext) async throws -> StepOutcome
    /// For a step that is not idempotent: what happened to an attempt cut short by a crash.
    public var check: (@Sendable (StepContext) async throws -> StepCheck)?

    /// A step.
    public init(
        _ name: String, idempotent: Bool, mutating: Bool = false, timeout: Duration = .seconds(900),
        retry: RetryPolicy = RetryPolicy(), check: (@Sendable (StepContext) async throws -> StepCheck)? = nil,
        run: @escaping @Sendable (StepContext) async throws -> StepOutcome
    ) {
        self.name = name
        self.idempotent = idempotent
        self.mutating = mutating
        self.timeout = timeout
        self.retry = retry
        self.check = check
        self.run = run
    }
}

/// How a step ended.
public enum StepOutcome: Sendable, Hashable {
    /// Done; the JSON is kept for later steps and for people.
    case done(output: String)
    /// Nothing to do (the reason is recorded).
    case skipped(reason: String)
    /// Needs a person's decision; the workflow waits (`workflow resume` continues it).
    case waitForOperator(reason: String)
}

/// What a check found about an attempt that a crash cut short.
public enum StepCheck: Sendable, Hashable {
    /// The work had been done; this is its output.
    case completed(output: String)
    /// The work had not (fully) been done and running the step again is safe.
    case safeToRun
    /// It cannot be told; a person must look (the reason says what).
    case needsOperator(reason: String)
}

/// An ordered list of steps with a name and version.
public struct WorkflowDefinition: Sendable {
    /// `intelligent-commissioning`.
    public var name: String
    /// Bumped when the steps change; a run keeps the version it started with.
    public var version: Int
    /// For `workflow list` and help.
    public var summary: String
    /// The steps, in order.
    public var steps: [StepDefinition]
    /// The BMC and vendor a step's concurrency permits are keyed by.
    public var permitKeys: @Sendable (StepContext) -> PermitKeys
    /// The type its runs' input decodes to (checked when a run is created, decoded once when it is claimed); nil
    /// when steps read the stored keys themselves.
    public var inputType: (any WorkflowInput.Type)?
    /// Called when a run stops in this process (finished, failed, waiting, cancelled): release what its steps held.
    public var onStop: @Sendable (WorkflowRecord) async -> Void

    /// A definition.
    public init(
        name: String, version: Int, summary: String, steps: [StepDefinition],
        inputType: (any WorkflowInput.Type)? = nil,
        permitKeys: @escaping @Sendable (StepContext) -> PermitKeys = { _ in PermitKeys(bmc: nil) },
        onStop: @escaping @Sendable (WorkflowRecord) async -> Void = { _ in }
    ) {
        self.name = name
        self.version = version
        self.summary = summary
        self.steps = steps
        self.inputType = inputType
        self.permitKeys = permitKeys
        self.onStop = onStop
    }
}

/// The keys of the per-BMC and per-vendor limits for one mutating step.
public struct PermitKeys: Sendable, Hashable {
    /// The BMC (address or URL).
    public var bmc: String?
    /// The vendor (`supermicro`).
    public var vendor: String?

    /// Keys.
    public init(bmc: String?, vendor: String? = nil) {
        self.bmc = bmc
        self.vendor = vendor
    }
}

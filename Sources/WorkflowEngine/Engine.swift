import ChildTasks
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs workflows durably: every transition is stored (with its event) before the engine acts on it, so a run
/// that stops — crash, kill, power loss — resumes from its last durable point; a step that is not idempotent and
/// was in flight is checked, never blindly re-run. Steps get timeouts, retries for transient errors, and
/// concurrency permits (global, per BMC for mutating steps, per vendor).
public actor Engine {
    /// Concurrency limits.
    public struct Limits: Sendable, Hashable {
        /// Workflows running at once.
        public var global: Int
        /// Mutating steps at once on one BMC.
        public var perBMC: Int
        /// Mutating steps at once on one vendor's servers.
        public var perVendor: Int

        /// Limits.
        public init(global: Int = 32, perBMC: Int = 1, perVendor: Int = 64) {
            self.global = global
            self.perBMC = perBMC
            self.perVendor = perVendor
        }
    }

    /// Where runs, steps, events and leases are kept.
    public nonisolated let repository: any WorkflowRepository
    /// This process, as an owner of workflows (`host:pid`).
    public nonisolated let owner: String
    /// The limits in force.
    public nonisolated let limits: Limits
    private let definitions: [String: WorkflowDefinition]
    let clock: any EngineClock
    let logger: Logger
    private let jitter: @Sendable () -> Double
    private let permits: Limiter
    let leaseTimeout: Duration
    private let heartbeatInterval: Duration
    private let hub = EventHub()
    private let stored = Atomic<Int>(0)
    let running = RunningTasks()
    let watchdog = Watchdog()
    let bmcLocks: BMCLockKeeper
    /// Set by `abandonRunsOnCancel()`.
    private var abandoning = false

    /// An engine over `repository` that knows `definitions`.
    public init(
        repository: any WorkflowRepository, definitions: [WorkflowDefinition], limits: Limits = Limits(),
        clock: any EngineClock = SystemEngineClock(), owner: String = Engine.processOwner(),
        leaseTimeout: Duration = .seconds(60), heartbeatInterval: Duration = .seconds(5),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, logger: Logger
    ) {
        self.repository = repository
        self.definitions = Dictionary(definitions.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        self.limits = limits
        self.clock = clock
        self.owner = owner
        self.leaseTimeout = leaseTimeout
        // A lease is renewed at least three times within its timeout, so a short lease never lapses on a live owner.
        self.heartbeatInterval = min(heartbeatInterval, leaseTimeout / 3)
        self.jitter = jitter
        self.logger = logger
        bmcLocks = BMCLockKeeper(
            repository: repository, owner: owner, clock: clock, lease: leaseTimeout, poll: .seconds(1),
            logger: logger)
        permits = Limiter { key in
            key.hasPrefix("bmc:") ? limits.perBMC : key.hasPrefix("vendor:") ? limits.perVendor : limits.global
        }
    }

    /// `hostname:pid`.
    public static func processOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid())"
    }

    /// The definition named `name`.
    public func definition(_ name: String) -> WorkflowDefinition? { definitions[name] }

    /// Every definition, by name.
    public var definitionNames: [String] { definitions.keys.sorted() }

    // MARK: Events

    /// Every event this engine stores from now on (until the stream is dropped).
    public nonisolated func subscribe() -> AsyncStream<EventRecord> { hub.subscribe() }

    private nonisolated func publish(_ event: EventRecord) {
        stored.add(1, ordering: .relaxed)
        hub.publish(event)
    }

    /// Events this engine has stored (and published) since it was made.
    public nonisolated var eventsStored: Int { stored.load(ordering: .relaxed) }

    /// Ends every subscriber's stream.
    public nonisolated func finishSubscribers() { hub.finish() }

    // MARK: Creating and reopening

    /// Stores a new run of `definition` over `serverID` (pending; `run` starts it).
    public func create(
        definition name: String, serverID: String, input: [String: String], batch: String? = nil, id: String? = nil
    ) async throws -> WorkflowRecord {
        guard let definition = definitions[name] else {
            throw StepError(
                "no workflow named \(name); known: \(definitions.keys.sorted().joined(separator: ", "))")
        }
        // Bad input is refused here, before anything is stored.
        _ = try definition.inputType?.init(values: input)
        let now = clock.now()
        let workflow = WorkflowRecord(
            id: id ?? UUID().uuidString.lowercased(), definition: name, version: definition.version,
            serverID: serverID, input: StepContext.json(input), batch: batch, created: now, updated: now)
        let steps = definition.steps.enumerated().map {
            StepRecord(workflowID: workflow.id, index: $0.offset, name: $0.element.name)
        }
        let event = try await repository.createWorkflow(
            workflow, steps: steps,
            event: EventRecord(
                workflowID: workflow.id, kind: .workflowCreated,
                message: "\(name) v\(definition.version) for \(serverID)", at: now))
        publish(event)
        return workflow
    }

    /// Makes a waiting, failed or cancelled run runnable again from its first unfinished step, with `input`
    /// changes (an operator's decision: `device_type`, `force`).
    public func reopen(_ id: String, input: [String: String] = [:]) async throws -> WorkflowRecord {
        guard let workflow = try await repository.workflow(id: id) else { throw StepError("no workflow \(id)") }
        guard workflow.state.isReopenable else {
            throw StepError("workflow \(id) is \(workflow.state); only waiting, failed or cancelled runs are reopened")
        }
        // Its driver here is still winding down (stored as stopped, not yet gone): a new driver would be refused.
        guard !isDriving(id) else { throw WorkflowBusy(id: id, owner: owner) }
        var machine = WorkflowMachine(workflow: workflow, steps: try await repository.steps(workflowID: id))
        let reopened = machine.reopen(input: input, at: clock.now())
        _ = try definitions[workflow.definition]?.inputType?.init(values: WorkflowMachine.input(machine.workflow.input))
        try await persist(reopened)
        return machine.workflow
    }

    /// Runs that are not finished and not waiting for a person: `pending`, or `running` under an owner that is
    /// gone (this one when it no longer drives the run, a dead process on this host, or a heartbeat older than the
    /// lease). A run this engine is driving right now is never resumable: a second driver would repeat its steps.
    public func resumable() async throws -> [WorkflowRecord] {
        try await repository.workflows(WorkflowFilter(states: [.pending, .running], limit: Int.max))
            .filter { !isDriving($0.id) }
            .filter { $0.owner == nil || $0.owner == owner || Self.ownerIsGone($0.owner!) || isStale($0) }
            .sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// Throws `WorkflowBusy` when resuming `workflow` would start a second driver: this engine drives it now, or
    /// it is pending or running under a live owner elsewhere.
    public func checkNotDriven(_ workflow: WorkflowRecord) async throws {
        if isDriving(workflow.id) { throw WorkflowBusy(id: workflow.id, owner: owner) }
        guard workflow.state.isRunnable else { return }
        guard try await !resumable().contains(where: { $0.id == workflow.id }) else { return }
        throw WorkflowBusy(id: workflow.id, owner: workflow.owner ?? owner)
    }

    /// Whether this engine is driving run `id` right now (a task of its own runs or winds it down).
    public nonisolated func isDriving(_ id: String) -> Bool { running.contains(id) }

    private func isStale(_ workflow: WorkflowRecord) -> Bool {
        guard let heartbeat = workflow.heartbeat else { return true }
        return heartbeat < clock.now().addingTimeInterval(-Self.seconds(leaseTimeout))
    }

    /// True when `owner` is a process on this host that no longer exists.
    static func ownerIsGone(_ owner: String) -> Bool {
        let parts = owner.split(separator: ":")
        guard parts.count == 2, String(parts[0]) == ProcessInfo.processInfo.hostName, let pid = Int32(parts[1]) else {
            return false
        }
        return kill(pid, 0) == -1 && errno == ESRCH
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    // MARK: Running

    /// Asks run `id` to stop: the task running it here is cancelled, and the request is stored so that another
    /// process running it stops too.
    public func cancel(_ id: String) async throws {
        guard let current = try await repository.workflow(id: id) else { throw StepError("no workflow \(id)") }
        guard !current.state.isTerminal else {
            throw StepError(
                "workflow \(id) has already \(current.state == .cancelled ? "been cancelled" : "\(current.state)")")
        }
        _ = try await repository.requestCancel(id: id)
        running.cancel(id)
        if let workflow = try await repository.workflow(id: id),
            workflow.state == .pending || workflow.state == .waiting
        {
            var machine = WorkflowMachine(workflow: workflow, steps: try await repository.steps(workflowID: id))
            if case .run(let index, _) = machine.next() {
                try await persist(machine.cancel(index, reason: "cancelled by an operator", at: clock.now()))
            } else if workflow.state == .waiting,
                let index = machine.steps.firstIndex(where: { $0.state == .waiting })
            {
                try await persist(machine.cancel(index, reason: "cancelled by an operator", at: clock.now()))
            }
        }
    }

    /// Mutating steps running against BMCs right now (the per-BMC permits held).
    public nonisolated var bmcChangesInProgress: Int { permits.inUse(prefix: "bmc:") }

    /// From now on a run whose task is cancelled (the process shutting down) is left exactly as a process that
    /// died would leave it (still `running`, owned by this process) for `workflow resume` or another worker to take
    /// over, instead of being recorded as cancelled. Operator cancels (`cancel(_:)`) still record.
    public func abandonRunsOnCancel() { abandoning = true }

    private func stopCancelled(_ run: Run, _ index: Int, at now: Date) async throws {
        guard !abandoning else { return }
        try await persist(run.machine.cancel(index, reason: "cancelled by an operator", at: now), lease: run.lease)
    }

    /// Runs the workflows `ids` (at most `limits.global` at once) until each finishes, fails, waits for a person
    /// or is cancelled; returns their final records in the order given. One run's failure never stops the others.
    public func run(_ ids: [String]) async -> [WorkflowRecord] {
        var results: [String: WorkflowRecord] = [:]
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.keepAlive() }
            group.addTask { await self.watchdog.run() }
            results = await runAll(ids)
            group.cancelAll()
        }
        var ordered: [WorkflowRecord] = []
        for id in ids {
            if let record = results[id] {
                ordered.append(record)
            } else if let record = try? await repository.workflow(id: id) {
                ordered.append(record)
            }
        }
        return ordered
    }

    /// `StepContext.runChildren`: creates the children of `batch` not stored yet (matched by server), then runs
    /// them all until each has ended, waiting out those another process holds; throws `CancellationError` when
    /// the calling step was cancelled meanwhile.
    func runChildren(batch: String, _ workflows: [ChildWorkflow]) async throws -> [WorkflowRecord] {
        let stored = try await repository.workflows(WorkflowFilter(batch: batch, limit: max(1, workflows.count * 2)))
        let existing = Dictionary(stored.map { ($0.serverID, $0.id) }) { first, _ in first }
        var ids: [String] = []
        for child in workflows {
            if let id = existing[child.serverID] {
                ids.append(id)
            } else {
                ids.append(
                    try await create(
                        definition: child.definition, serverID: child.serverID, input: child.input, batch: batch
                    ).id)
            }
        }
        var records = await run(ids)
        // The parent was cancelled (its children were, with it): its step ends as cancelled, not with their records.
        try Task.checkCancellation()
        // A child another process holds (one that crashed: its lease not yet lapsed; or a live worker) has not
        // ended: look again a lease's fraction later, taking it over once its owner's lease lapses.
        while records.contains(where: { $0.state == .pending || $0.state == .running }) {
            try await clock.sleep(for: min(leaseTimeout / 4, .seconds(15)))
            records = await run(ids)
            try Task.checkCancellation()
        }
        return records
    }

    /// Runs every workflow in a task of its own, `limits.global` at a time.
    private func runAll(_ ids: [String]) async -> [String: WorkflowRecord] {
        // One unstructured task per run: it is the handle that cancels this run alone (an operator's cancel, a
        // step's timeout) without its siblings, and the only task a waiting run holds, which keeps 10,000
        // concurrent runs small. Each is awaited below (through `finished`) and cancelled if `run` is, so none
        // outlives the call.
        let (finished, done) = AsyncStream.makeStream(of: (String, WorkflowRecord?).self)
        var pending = ids[...]
        var active = 0
        var results: [String: WorkflowRecord] = [:]
        let tasks = running
        let logger = logger
        // Starts the next of `pending` that this engine is not driving already (one driver per run); false when
        // none is left.
        func startNext() -> Bool {
            while let id = pending.popFirst() {
                let started = tasks.add(id) {
                    Task {
                        let record = await self.drive(id)
                        done.yield((id, record))
                    }
                }
                if started {
                    active += 1
                    return true
                }
                logger.notice("workflow \(id) is already being driven here; not starting a second driver")
            }
            return false
        }
        while active < limits.global, startNext() {}
        await withTaskCancellationHandler {
            var iterator = finished.makeAsyncIterator()
            while active > 0, let (id, record) = await iterator.next() {
                tasks.remove(id)
                active -= 1
                if let record { results[id] = record }
                if !Task.isCancelled { _ = startNext() }
            }
        } onCancel: {
            // This call's runs only: a step's children (`runChildren`) are stopped with their parent, never the
            // other runs this engine drives.
            for id in ids { tasks.cancel(id) }
        }
        return results
    }

    /// Keeps this owner's lease alive and notices cancellations asked for by other processes, until cancelled.
    func keepAlive() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: heartbeatInterval) } catch { return }
            do {
                try await repository.heartbeat(owner: owner, at: clock.now())
                for id in running.ids {
                    if try await repository.workflow(id: id)?.cancelRequested == true { running.cancel(id) }
                }
                for id in try await bmcLocks.renew() {
                    logger.error(
                        "workflow \(id): its BMC lock was taken over (the lease lapsed); its step no longer holds the BMC alone"
                    )
                }
            } catch {
                logger.warning("heartbeat: \(error)")
            }
        }
    }

    /// Stores `transition`; with a `lease` (a driver's write) only while the run is still held under it, else
    /// throws `LeaseLost`.
    private func persist(_ transition: WorkflowMachine.Transition, lease: WorkflowLease? = nil) async throws {
        publish(try await record(workflow: transition.workflow, step: transition.step, event: transition.event, lease))
    }

    /// `repository.record`, with a refused fenced write thrown as `LeaseLost`.
    private func record(workflow: WorkflowRecord?, step: StepRecord?, event: EventRecord, _ lease: WorkflowLease?)
        async throws -> EventRecord
    {
        do {
            return try await repository.record(workflow: workflow, step: step, event: event, lease: lease)
        } catch {
            if let conflict = (error as? any WorkflowLeaseConflictReporting)?.leaseConflict {
                throw LeaseLost(conflict)
            }
            throw error
        }
    }

    @inline(never)
    private func context(_ run: Run, index: Int) -> StepContext {
        let machine = run.machine
        let lease = run.lease
        let workflowID = machine.workflow.id
        let step = machine.steps[index]
        var logger = logger
        logger[metadataKey: "workflow"] = "\(workflowID)"
        logger[metadataKey: "step"] = "\(step.name)"
        let clock = clock
        let repository = repository
        return StepContext(
            workflowID: workflowID, serverID: machine.workflow.serverID, step: step.name, attempt: step.attempt,
            input: run.storedInput(), decoded: run.input, outputs: machine.outputs,
            logger: logger,
            progress: { [weak self] percent, message in
                let event = EventRecord(
                    workflowID: workflowID, step: step.name, kind: .stepProgress, percent: percent, message: message,
                    at: clock.now())
                // Fenced like every write of the driver's; a refused one is dropped (the next transition stops it).
                if let stored = try? await repository.record(workflow: nil, step: nil, event: event, lease: lease) {
                    self?.publish(stored)
                }
            },
            children: { [weak self] batch, workflows in
                guard let self else { throw StepError("the engine that ran this step is gone") }
                return try await self.runChildren(batch: batch, workflows)
            })
    }

    // The functions below are split so that what stays suspended while a step runs (drive → advance → attempt →
    // execute) holds small frames: a running workflow's task memory is mostly these frames, and at 10,000
    // workflows at once every kilobyte counts. Claiming, checking and concluding run in frames of their own that
    // are gone while the step runs.

    /// Takes the run, then moves it step by step, storing each transition first.
    func drive(_ id: String) async -> WorkflowRecord? {
        do {
            // Claiming runs in a child task: the run's task keeps the largest frames it ever took until the run ends.
            guard let claimed = try await ChildTask.run({ try await self.claim(id) }),
                let run = try await prepare(claimed.workflow, steps: claimed.steps)
            else { return try await repository.workflow(id: id) }
            do {
                try await advance(run)
            } catch {
                await run.definition.onStop(run.machine.workflow)
                throw error
            }
            await finish(run)
            return run.machine.workflow
        } catch {
            return await storeFailed(id, error)
        }
    }

    private func finish(_ run: Run) async {
        await run.definition.onStop(run.machine.workflow)
    }

    private func storeFailed(_ id: String, _ error: any Error) async -> WorkflowRecord? {
        if let lost = error as? LeaseLost {
            logger.warning("\(lost)")
        } else {
            logger.error("workflow \(id): the store failed, the run stays resumable: \(error)")
        }
        return try? await repository.workflow(id: id)
    }

    /// The stored run and its steps, made ours; nil when it is finished, waiting, or held by a live owner.
    private func claim(_ id: String) async throws -> Claimed? {
        guard let claimed = try await take(id) else { return nil }
        return Claimed(workflow: claimed, steps: try await repository.steps(workflowID: id))
    }

    /// A claimed run as stored: a reference, so `drive`'s frame (kept through the whole run) holds a pointer, not
    /// the records.
    private final class Claimed: Sendable {
        let workflow: WorkflowRecord
        let steps: [StepRecord]

        init(workflow: WorkflowRecord, steps: [StepRecord]) {
            self.workflow = workflow
            self.steps = steps
        }
    }

    /// Makes this engine the owner of a runnable run (one whose owner is gone or stale).
    @inline(never)
    private func take(_ id: String) async throws -> WorkflowRecord? {
        guard let stored = try await repository.workflow(id: id) else { return nil }
        if stored.state.isStopped { return nil }
        let gone = stored.owner.map(Self.ownerIsGone) == true ? stored.owner : nil
        let now = clock.now()
        let staleBefore = now.addingTimeInterval(-Self.seconds(leaseTimeout))
        let claimed = try await repository.claimWorkflow(
            id: id, owner: owner, replacing: gone, staleBefore: staleBefore, at: now)
        if claimed == nil {
            logger.notice("workflow \(id) is held by \(stored.owner ?? "?"), alive; not running it here")
        }
        return claimed
    }

    /// The run over its definition; a run whose definition changed its steps fails (start a new one).
    @inline(never)
    private func prepare(_ claimed: WorkflowRecord, steps: [StepRecord]) async throws -> Run? {
        var machine = WorkflowMachine(workflow: claimed, steps: steps)
        let lease = WorkflowLease(owner: owner, epoch: claimed.leaseEpoch)
        let problem: String
        if let definition = definitions[claimed.definition], definition.steps.map(\.name) == machine.steps.map(\.name) {
            do {
                let input = try definition.inputType?.init(values: WorkflowMachine.input(claimed.input))
                return Run(machine: machine, definition: definition, lease: lease, input: input)
            } catch {
                problem = "the run's input cannot be read: \(error)"
            }
        } else {
            problem =
                "this engine's \(claimed.definition) (v\(definitions[claimed.definition]?.version ?? 0)) "
                + "has other steps than the stored run (v\(claimed.version)); start a new run"
        }
        if case .run(let index, _) = machine.next() {
            try await persist(machine.fail(index, error: problem, at: clock.now()), lease: lease)
        }
        return nil
    }

    private func advance(_ run: Run) async throws {
        while true {
            switch run.machine.next() {
            case .finished:
                try await persist(run.machine.finish(at: clock.now()), lease: run.lease)
                return
            case .stopped:
                return
            case .run(let index, let inFlight):
                if Task.isCancelled {
                    try await stopCancelled(run, index, at: clock.now())
                    return
                }
                if inFlight, !run.definition.steps[index].idempotent {
                    guard try await checkInterrupted(run, index: index) else { return }
                    if run.machine.steps[index].state == .succeeded { continue }
                }
                try await attempt(run, index: index)
            }
        }
    }

    /// Decides what to do with a non-idempotent step found in flight; false when the run stopped. The check runs
    /// under the step's permits and BMC lock (it may follow the BMC's work to its end); a transient failure of the
    /// check (a lost login answer, a 503) is tried again like a step's, never parked at once.
    private func checkInterrupted(_ run: Run, index: Int) async throws -> Bool {
        let step = run.definition.steps[index]
        guard let check = step.check else {
            try await persist(
                run.machine.wait(
                    index,
                    reason: "was in flight when its process stopped, is not idempotent and has no check: "
                        + "inspect the server, then `workflow resume \(run.machine.workflow.id)`",
                    at: clock.now()), lease: run.lease)
            return false
        }
        do {
            let context = context(run, index: index)
            switch try await checked(run, index: index, context, check) {
            case .completed(let output):
                try await persist(
                    run.machine.succeed(index, output: output, at: clock.now(), checked: true), lease: run.lease)
            case .safeToRun:
                publish(
                    try await record(
                        workflow: nil, step: nil,
                        event: EventRecord(
                            workflowID: run.machine.workflow.id, step: step.name, kind: .stepChecked,
                            message: "an interrupted attempt left nothing done; running it again", at: clock.now()),
                        run.lease))
            case .needsOperator(let reason):
                try await persist(run.machine.wait(index, reason: reason, at: clock.now()), lease: run.lease)
                return false
            }
            return true
        } catch {
            if error is LeaseLost { throw error }
            if error is CancellationError || Task.isCancelled {
                try await stopCancelled(run, index, at: clock.now())
            } else {
                try await persist(
                    run.machine.wait(
                        index, reason: "checking an interrupted attempt failed (\(error)); inspect, then resume",
                        at: clock.now()), lease: run.lease)
            }
            return false
        }
    }

    /// The check's verdict, the check tried again after transient failures (at least 3 tries in all).
    private func checked(
        _ run: Run, index: Int, _ context: StepContext,
        _ check: @Sendable (StepContext) async throws -> StepCheck
    ) async throws -> StepCheck {
        let step = run.definition.steps[index]
        let tries = max(3, step.retry.maxAttempts)
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await guarded(run, index: index, context) {
                    try await timed(step.timeout, run) { try await check(context) }
                }
            } catch {
                let transient = (error as? any TransientClassifying)?.isTransient ?? false
                guard transient, attempt < tries, !Task.isCancelled else { throw error }
                let delay = step.retry.delay(afterAttempt: attempt, unit: jitter())
                publish(
                    try await record(
                        workflow: nil, step: nil,
                        event: EventRecord(
                            workflowID: run.machine.workflow.id, step: step.name, kind: .stepProgress,
                            message: "checking the interrupted attempt failed (\(error)); checking again in \(delay)",
                            at: clock.now()),
                        run.lease))
                try await clock.sleep(for: delay)
            }
        }
    }

    /// Runs step `index` with retries until it succeeds, is skipped, waits, fails or is cancelled.
    private func attempt(_ run: Run, index: Int) async throws {
        while true {
            try await persist(run.machine.start(index, at: clock.now()), lease: run.lease)
            let result = await execute(run, index: index)
            guard try await conclude(run, index: index, result) else { return }
        }
    }

    /// One attempt of step `index`, holding the BMC's and vendor's permits, and the BMC's lock in the store, when
    /// the step changes the server.
    private func execute(_ run: Run, index: Int) async -> Result<StepOutcome, any Error> {
        let step = run.definition.steps[index]
        let context = context(run, index: index)
        do {
            // A step that changes nothing runs without the extra frame (a suspended run's task keeps its frames).
            guard step.mutating else {
                return .success(try await timed(step.timeout, run) { try await Self.inChildTask(step.run, context) })
            }
            return .success(
                try await guarded(run, index: index, context) {
                    try await timed(step.timeout, run) { try await Self.inChildTask(step.run, context) }
                })
        } catch {
            return .failure(error)
        }
    }

    /// `body(context)` in a child task of the run's task (`ChildTask`): a run that did its largest step (tens of KB
    /// of frames in an optimised build) would otherwise hold that for the rest of its life, through every later wait.
    /// Cancelling the run's task (a timeout, a person) cancels the child.
    private static func inChildTask(
        _ body: @escaping @Sendable (StepContext) async throws -> StepOutcome, _ context: StepContext
    ) async throws -> StepOutcome {
        try await ChildTask.run { try await body(context) }
    }

    /// Runs `body` for step `index`; a mutating step holds its permits here (per BMC, per vendor) and its BMC's
    /// lock in the store (one change at a time per BMC across every process), waiting for them first.
    private func guarded<T>(
        _ run: Run, index: Int, _ context: StepContext, _ body: () async throws -> T
    ) async throws -> T {
        let step = run.definition.steps[index]
        guard step.mutating else { return try await body() }
        let keys = run.definition.permitKeys(context)
        let names = [keys.bmc.map { "bmc:\($0)" }, keys.vendor.map { "vendor:\($0)" }].compactMap { $0 }
        return try await permits.withPermits(names) {
            guard let bmc = keys.bmc else { return try await body() }
            let grant = try await bmcLocks.acquire(
                bmc, workflowID: run.machine.workflow.id, step: step.name, context: context)
            do {
                let value = try await body()
                await bmcLocks.release(grant)
                return value
            } catch {
                await bmcLocks.release(grant)
                throw error
            }
        }
    }

    /// Runs `body` under `limit`: past it, the run's task is cancelled and `StepTimeout` thrown. A body that
    /// ignores cancellation delays the timeout until it returns.
    private func timed<T>(_ limit: Duration, _ run: Run, _ body: () async throws -> T) async throws -> T {
        let id = run.machine.workflow.id
        let tasks = running
        do {
            let value = try await watchdog.watch(limit, expire: { tasks.cancel(id, timeout: true) }, body)
            if tasks.takeTimeout(id) { throw StepTimeout(limit: limit) }
            return value
        } catch {
            if tasks.takeTimeout(id) { throw StepTimeout(limit: limit) }
            throw error
        }
    }

    /// Stores how an attempt ended; true when the step is to be tried again (after the backoff).
    private func conclude(_ run: Run, index: Int, _ result: Result<StepOutcome, any Error>) async throws -> Bool {
        let now = clock.now()
        switch result {
        case .success(.done(let output)):
            try await persist(run.machine.succeed(index, output: output, at: now), lease: run.lease)
            return false
        case .success(.skipped(let reason)):
            try await persist(run.machine.skip(index, reason: reason, at: now), lease: run.lease)
            return false
        case .success(.waitForOperator(let reason)):
            try await persist(run.machine.wait(index, reason: reason, at: now), lease: run.lease)
            return false
        case .failure(let error):
            return try await concludeFailure(run, index: index, error)
        }
    }

    /// A failed attempt: timed out, cancelled, retried after a backoff (true), or failed for good.
    private func concludeFailure(_ run: Run, index: Int, _ error: any Error) async throws -> Bool {
        let now = clock.now()
        if let timeout = error as? StepTimeout {
            try await persist(
                run.machine.fail(index, error: "timed out after \(timeout.limit)", at: now), lease: run.lease)
            return false
        }
        if Task.isCancelled || error is CancellationError {
            try await stopCancelled(run, index, at: now)
            return false
        }
        let policy = run.definition.steps[index].retry
        let transient = (error as? any TransientClassifying)?.isTransient ?? false
        let attempts = run.machine.steps[index].attempt
        guard transient, attempts < policy.maxAttempts else {
            let suffix = transient ? " (gave up after \(attempts) attempts)" : ""
            try await persist(run.machine.fail(index, error: "\(error)\(suffix)", at: now), lease: run.lease)
            return false
        }
        let delay = policy.delay(afterAttempt: attempts, unit: jitter())
        try await persist(run.machine.retry(index, error: "\(error)", delay: delay, at: now), lease: run.lease)
        do {
            try await clock.sleep(for: delay)
        } catch {
            try await stopCancelled(run, index, at: clock.now())
            return false
        }
        return true
    }
}

/// One run being driven: its machine and definition, on the heap so the engine's frames stay small.
final class Run {
    var machine: WorkflowMachine
    let definition: WorkflowDefinition
    /// The claim every write for the run is fenced by.
    let lease: WorkflowLease
    /// The run's input as its definition's type, decoded once at the claim.
    let input: (any WorkflowInput)?

    /// The stored input as text fields, with the JSON they were read from: read again only when a step changed it.
    private var inputValues: (json: String, values: [String: String])?

    init(machine: WorkflowMachine, definition: WorkflowDefinition, lease: WorkflowLease, input: (any WorkflowInput)?) {
        self.machine = machine
        self.definition = definition
        self.lease = lease
        self.input = input
    }

    /// The run's stored input as text fields (`StepContext.input`), decoded once per version of it.
    func storedInput() -> [String: String] {
        let json = machine.workflow.input
        if let known = inputValues, known.json == json { return known.values }
        let values = WorkflowMachine.input(json)
        inputValues = (json, values)
        return values
    }
}

/// A step ran past its timeout.
struct StepTimeout: Error {
    var limit: Duration
}

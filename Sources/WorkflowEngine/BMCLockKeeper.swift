import Foundation
import Logging
import Synchronization

/// This process's side of the store's BMC locks: takes a BMC's lock for a mutating step (waiting while another
/// process holds it, taking it over from a holder that is gone or whose lock lapsed), renews every lock it holds
/// with the run leases' heartbeat, and releases each when its step ends.
final class BMCLockKeeper: Sendable {
    private let repository: any WorkflowRepository
    private let owner: String
    private let clock: any EngineClock
    private let lease: Duration
    private let poll: Duration
    private let logger: Logger
    /// The grants held now, by BMC key, with the run each is for.
    private let held = Mutex<[String: (grant: BMCLockGrant, workflowID: String)]>([:])

    init(
        repository: any WorkflowRepository, owner: String, clock: any EngineClock, lease: Duration, poll: Duration,
        logger: Logger
    ) {
        self.repository = repository
        self.owner = owner
        self.clock = clock
        self.lease = lease
        self.poll = poll
        self.logger = logger
    }

    /// The lock of BMC `key` for step `step` of run `workflowID`, once this process gets it; while another holds
    /// it the wait is reported once on the step's progress. Throws when cancelled while waiting, or when the store
    /// fails.
    func acquire(_ key: String, workflowID: String, step: String, context: StepContext) async throws -> BMCLockGrant {
        var gone: [String] = []
        var reported = false
        while true {
            try Task.checkCancellation()
            let now = clock.now()
            if let grant = try await repository.acquireBMCLock(
                key: key, holder: owner, workflowID: workflowID, step: step, gone: gone, at: now,
                expiresAt: now.addingTimeInterval(Engine.seconds(lease)))
            {
                held.withLock { $0[key] = (grant, workflowID) }
                return grant
            }
            let holder = try await repository.bmcLocks().first { $0.key == key }
            if let holder, Engine.ownerIsGone(holder.holder), !gone.contains(holder.holder) {
                gone.append(holder.holder)
                continue
            }
            if !reported, let holder {
                reported = true
                await context.report(
                    "waiting for BMC \(key): \(holder.holder) is changing it (run \(holder.workflowID), step "
                        + "\(holder.step))")
            }
            try await clock.sleep(for: poll)
        }
    }

    /// Frees the BMC (only while it is still held under `grant`); a failure is logged, the lock then lapses.
    func release(_ grant: BMCLockGrant) async {
        held.withLock { held in
            if held[grant.key]?.grant == grant { held[grant.key] = nil }
        }
        do {
            _ = try await repository.releaseBMCLock(grant)
        } catch {
            logger.warning(
                "releasing the lock of BMC \(grant.key) failed; it lapses after the lease",
                metadata: ["error": "\(error)"])
        }
    }

    /// Renews every lock this process holds (with the run leases' heartbeat); returns the runs whose BMC lock was
    /// taken over meanwhile (their step no longer holds the BMC alone).
    func renew() async throws -> [String] {
        let mine = held.withLock { $0 }
        guard !mine.isEmpty else { return [] }
        let now = clock.now()
        let kept = try await repository.renewBMCLocks(
            holder: owner, at: now, expiresAt: now.addingTimeInterval(Engine.seconds(lease)))
        let still = Set(kept.map(\.key))
        return mine.filter { !still.contains($0.key) }.map(\.value.workflowID)
    }
}

import Foundation
import Logging

extension Engine {
    /// Works as one of several workers over a shared store until cancelled: every `poll` (and whenever a run
    /// ends) it leases runnable runs — pending, or running under an owner that is gone or whose lease expired —
    /// that `accepts` takes (a zone's servers, say), at most `limits.global` running here at once, and drives
    /// them with the usual resume rules (a non-idempotent step found in flight is checked, not re-run blindly).
    /// With `drain` it returns once no accepted run is pending or running anywhere (a batch's end), instead of
    /// waiting for more. Returns the number of runs it drove.
    @discardableResult
    public func work(
        poll: Duration = .seconds(2), drain: Bool = false, accepts: @escaping @Sendable (WorkflowRecord) -> Bool
    ) async -> Int {
        var driven = 0
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.keepAlive() }
            group.addTask { await self.watchdog.run() }
            driven = await leaseAndDrive(poll: poll, drain: drain, accepts: accepts)
            group.cancelAll()
        }
        return driven
    }

    private func leaseAndDrive(
        poll: Duration, drain: Bool, accepts: @escaping @Sendable (WorkflowRecord) -> Bool
    ) async -> Int {
        // As in `run`: one unstructured task per run, its cancel handle; each is awaited through `finished` and
        // cancelled when the worker is, so none outlives this call.
        let (finished, done) = AsyncStream.makeStream(of: String?.self)
        let tasks = running
        // The poll timer wakes the loop below between runs ending; it is cancelled when the loop ends.
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: poll)
                done.yield(nil)
            }
        }
        let driven = await withTaskCancellationHandler {
            var active = 0
            var driven = 0
            func fill() async {
                let free = limits.global - active
                guard free > 0, !Task.isCancelled else { return }
                do {
                    let mine = Set(tasks.ids)
                    let runnable = try await resumable().filter { !mine.contains($0.id) && accepts($0) }
                    guard !runnable.isEmpty else { return }
                    let gone = Set(runnable.compactMap(\.owner).filter(Self.ownerIsGone))
                    let now = clock.now()
                    let staleBefore = now.addingTimeInterval(-Self.seconds(leaseTimeout))
                    let leased = try await repository.leaseWorkflows(
                        ids: runnable.map(\.id), owner: owner, gone: Array(gone), staleBefore: staleBefore, limit: free,
                        at: now)
                    for workflow in leased {
                        let id = workflow.id
                        let started = tasks.add(id) {
                            Task {
                                _ = await self.drive(id)
                                done.yield(id)
                            }
                        }
                        guard started else {
                            logger.notice("worker: workflow \(id) is already being driven here; not driving it twice")
                            continue
                        }
                        active += 1
                        driven += 1
                    }
                } catch {
                    logger.warning("worker: leasing failed, trying again: \(error)")
                }
            }
            await fill()
            for await ended in finished {
                if let ended {
                    tasks.remove(ended)
                    active -= 1
                }
                if Task.isCancelled {
                    if active == 0 { break }
                    continue
                }
                await fill()
                if drain, active == 0, await nothingLeft(accepts) { break }
            }
            return driven
        } onCancel: {
            ticker.cancel()
            tasks.cancelAll()
            done.yield(nil)  // wake the loop, which ends once every run it started has ended
        }
        ticker.cancel()
        return driven
    }

    /// Whether no accepted run is pending or running in the store (held here, by another worker, or by nobody).
    private func nothingLeft(_ accepts: @Sendable (WorkflowRecord) -> Bool) async -> Bool {
        guard let open = try? await repository.workflows(WorkflowFilter(states: [.pending, .running], limit: Int.max))
        else { return false }
        return !open.contains(where: accepts)
    }
}

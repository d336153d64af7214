import Foundation
import Redfish

/// What a crash campaign reads to judge whether each change reached the BMC exactly once (the `redundant…` and
/// `concurrentChanges` counters), and the web-server restart that follows a BMC firmware activation.
extension SimulatedBMC {
    /// A change (`ActionKind.isChange`) arrived at the lab's listener at lab time `now`: counted as concurrent when
    /// another change is still in flight or a firmware update task is unfinished at `now` (a task whose time is up
    /// has finished, polled or not). `changeFinished` must follow once it is answered (or abandoned).
    public mutating func changeArrived(now: Double) {
        settle(now)
        if changesInFlight > 0 || hasUnfinishedTask { counters.concurrentChanges += 1 }
        changesInFlight += 1
    }

    /// A change the listener was working on is done.
    public mutating func changeFinished() {
        changesInFlight = max(0, changesInFlight - 1)
    }

    /// Whether the BMC's web server is restarting at `now` (after a BMC firmware activation).
    public func isRestarting(at now: Double) -> Bool {
        restartingUntil.map { now < $0 } ?? false
    }

    /// The answer of a web server that is restarting at `now` (nil when it serves): a dropped connection or the
    /// configured 5xx. The window closes at its end.
    mutating func restartingAnswer(now: Double) -> LabResponse? {
        guard let until = restartingUntil else { return nil }
        guard now < until else {
            restartingUntil = nil
            return nil
        }
        counters.answersDuringRestart += 1
        guard let status = settings.restartAfterUpdate?.status else {
            var dropped = LabResponse(status: 500)
            dropped.dropsConnection = true
            return dropped
        }
        return .error(status, "Base.1.8.ServiceTemporarilyUnavailable", "The web server is restarting.")
    }

    /// New BMC firmware is running at `now`: the web server restarts, if configured to.
    mutating func bmcFirmwareActivated(now: Double) {
        guard let restart = settings.restartAfterUpdate, restart.seconds > 0 else { return }
        restartingUntil = now + restart.seconds
    }

    /// Whether a BIOS settings PATCH of `values` changes nothing: each equals the attribute's pending value, or
    /// its current value when none is pending.
    func isRedundantBIOSPatch(_ values: [String: JSONValue]) -> Bool {
        values.allSatisfy { name, value in (pending[name] ?? attributes[name]?.value) == value }
    }

    /// Whether a reset of `type` would restart a host that has nothing to apply (see `Counters.redundantResets`).
    func isRedundantReset(_ type: String) -> Bool {
        let restarts = ["On", "ForceOn", "ForceRestart", "GracefulRestart", "PowerCycle"].contains(type)
        // What the POST under way already applies is nothing left to apply.
        let left = pending.filter { applyingAtPOSTEnd.settings[$0.key] != $0.value }
        let firmware = pendingBIOSFirmware.flatMap { $0 == applyingAtPOSTEnd.firmware ? nil : $0 }
        return restarts && left.isEmpty && firmware == nil && power != .off
    }

    /// Whether flashing `effect` installs a version that is already active, staged, or on its way in an
    /// unfinished task (see `Counters.redundantFlashes`).
    func isRedundantFlash(_ effect: TaskEffect) -> Bool {
        if effect != .nothing, tasks.values.contains(where: { $0.isUnfinished && $0.effect == effect }) { return true }
        switch effect {
        case .bmcFirmware(let version): return version == bmcFirmware
        case .biosFirmware(let version): return version == biosVersion || version == pendingBIOSFirmware
        case .nothing: return false
        }
    }
}

import Foundation
import Redfish

/// Firmware update tasks that progress with lab time, as a real BMC's do: a task finishes — and its image is
/// applied (BMC firmware) or staged (BIOS firmware) — when its time is up, whether or not a client polls it.
extension SimulatedBMC {
    /// One firmware update task (TaskService/Tasks): what started it, when, and how far it has got.
    struct UpdateTask: Sendable {
        /// `SimpleUpdate` or `upload` (a multipart push).
        var target: String
        /// The image as the client named it (`ImageURI`, or the pushed file's name).
        var image: String
        /// What completion does.
        var effect: TaskEffect
        /// The failure the flash ends in, if the image carries a fault.
        var failure: String?
        /// Lab time the task was accepted.
        var startedAt: Double
        /// Steps (Retry-After intervals) until completion: `Settings.taskPolls + 1` when the task started.
        var length: Int
        /// Polls of its monitor answered while it ran.
        var polls = 0
        /// `New`, `Running`, `Completed` or `Exception`.
        var state = "New"
        /// Progress, 0 to 100 (87 for a flash that failed).
        var percent = 0
        /// Lab time the task finished; nil while it runs.
        var finishedAt: Double?

        /// Whether the task has not finished.
        var isUnfinished: Bool { finishedAt == nil }

        /// Steps done at `now`: one per Retry-After interval of lab time since the start, or one per poll when
        /// polls came faster (a client honouring Retry-After waits an interval between polls, and a manual lab clock
        /// stands still while it does).
        func steps(at now: Double) -> Int {
            let elapsed = max(0, now - startedAt) / SimulatedBMC.taskStepSeconds
            return max(polls, Int(elapsed.rounded(.down)))
        }

        /// When the task's time is up, polled or not.
        var dueAt: Double { startedAt + Double(length) * SimulatedBMC.taskStepSeconds }
    }

    /// Seconds of lab time per task step: the `Retry-After` a task monitor answers.
    static let taskStepSeconds = 1.0

    /// Whether a firmware update task of this BMC is unfinished (at the last request's time).
    var hasUnfinishedTask: Bool { tasks.values.contains(where: \.isUnfinished) }

    /// Accepts a firmware update at `now`: 202 and a task monitor.
    mutating func startTask(_ effect: TaskEffect, failure: String?, target: String, image: String, now: Double)
        -> LabResponse
    {
        let id = String(nextID)
        nextID += 1
        tasks[id] = UpdateTask(
            target: target, image: image, effect: effect, failure: failure, startedAt: now,
            length: max(0, settings.taskPolls) + 1)
        let monitor = "\(Self.root)/TaskService/TaskMonitors/\(id)"
        return LabResponse(
            status: 202, headers: ["Location": monitor, "Retry-After": Self.retryAfter],
            body: .object(["@odata.id": .string(monitor), "TaskState": .string("New")]))
    }

    /// Brings every unfinished task up to `now`: those whose time is up finish, in the order they finished, with
    /// their effects at that time (not at `now`); the others report their progress.
    mutating func settleTasks(_ now: Double) {
        let due = tasks.filter { $0.value.isUnfinished && $0.value.steps(at: now) >= $0.value.length }
            .map { (id: $0.key, at: min(now, $0.value.dueAt)) }
            .sorted { ($0.at, Int($0.id) ?? 0) < ($1.at, Int($1.id) ?? 0) }
        for task in due { finishTask(task.id, at: task.at) }
        for id in tasks.keys where tasks[id]?.isUnfinished == true { progress(id, now: now) }
    }

    /// A task monitor poll at `now`: `202` and the progress while the task runs, then `200` and its outcome (for
    /// every later poll too). The poll counts as one step (see `UpdateTask.steps`).
    mutating func taskMonitor(_ id: String, now: Double) -> LabResponse {
        guard tasks[id] != nil else { return .error(404, "Base.1.8.ResourceMissingAtURI", "No task \(id).") }
        if tasks[id]?.isUnfinished == true {
            tasks[id]?.polls += 1
            if let polled = tasks[id], polled.steps(at: now) >= polled.length {
                finishTask(id, at: now)
            } else {
                progress(id, now: now)
            }
        }
        guard let task = tasks[id], !task.isUnfinished else {
            return LabResponse(
                status: 202,
                headers: ["Location": "\(Self.root)/TaskService/TaskMonitors/\(id)", "Retry-After": Self.retryAfter],
                body: .object([
                    "Id": .string(id), "TaskState": .string(tasks[id]?.state ?? "Running"),
                    "PercentComplete": .number(Double(tasks[id]?.percent ?? 0)),
                ]))
        }
        guard let failure = task.failure else {
            return LabResponse(
                status: 200,
                body: .object(["Id": .string(id), "TaskState": .string("Completed"), "PercentComplete": .number(100)]))
        }
        return LabResponse(
            status: 200,
            body: .object([
                "Id": .string(id), "TaskState": .string("Exception"), "TaskStatus": .string("Critical"),
                "PercentComplete": .number(Double(task.percent)),
                "Messages": .array([
                    .object(["MessageId": .string("Update.1.0.ApplyFailed"), "Message": .string(failure)])
                ]),
            ]))
    }

    /// The `Retry-After` a task monitor answers.
    static var retryAfter: String { String(Int(taskStepSeconds)) }

    /// An unfinished task's state and percentage at `now`: `New` before its first step, then `Running`.
    private mutating func progress(_ id: String, now: Double) {
        guard let task = tasks[id] else { return }
        let steps = min(task.steps(at: now), task.length)
        tasks[id]?.state = steps == 0 ? "New" : "Running"
        tasks[id]?.percent = 100 - 100 * (task.length - steps) / task.length
    }

    /// Finishes task `id` at lab time `at`: new BMC firmware activates then (its web server may restart from then:
    /// `Settings.restartAfterUpdate`), BIOS firmware is staged for the next reset; a faulty image leaves the BMC
    /// in recovery.
    private mutating func finishTask(_ id: String, at: Double) {
        guard let task = tasks[id], task.isUnfinished else { return }
        tasks[id]?.finishedAt = at
        if task.failure != nil {
            tasks[id]?.state = "Exception"
            tasks[id]?.percent = 87
            if case .bmcFirmware = task.effect {
                bmcFirmware = "recovery"
                bmcHealth = "Critical"
            }
            return
        }
        tasks[id]?.state = "Completed"
        tasks[id]?.percent = 100
        switch task.effect {
        case .bmcFirmware(let version):
            bmcFirmware = version
            bmcHealth = "OK"
            bmcFirmwareActivated(now: at)
        case .biosFirmware(let version): pendingBIOSFirmware = version
        case .nothing: break
        }
    }
}

import Foundation
import Redfish

/// An update task the BMC's TaskService shows for one image: what an earlier attempt (one a crash cut short) left
/// running, or how it ended.
public struct FirmwareUpdateTask: Sendable, Hashable {
    /// The task's `@odata.id`.
    public var id: String
    /// Its task monitor, when the BMC names one (polling it follows the task).
    public var monitor: String?
    /// Its `TaskState` (`New`, `Running`, `Completed`, `Exception`, ...).
    public var state: String
    /// Its `StartTime`, when the BMC gives one (the newest task of an image wins).
    public var started: String?
    /// The BMC's messages (`Messages[].Message`).
    public var messages: [String]
    /// How the image was sent, from `Payload.TargetUri`: `simple-update`, or `multipart`.
    public var method: String

    /// The states in which a task has ended (DMTF Task schema); every other state (`New`, `Starting`, `Running`,
    /// `Pending`, `Suspended`, `Interrupted`, `Stopping`, `Cancelling`, `Service`) is still in flight.
    public static let endedStates: Set<String> = [
        "Completed", "CompletedWithWarnings", "Exception", "Killed", "Cancelled",
    ]

    /// Still in flight: following it shows how it ends.
    public var isRunning: Bool { !Self.endedStates.contains(state) }
    /// Ended without the update (an exception, or killed or cancelled by someone).
    public var failed: Bool { ["Exception", "Killed", "Cancelled"].contains(state) }

    /// Creates a task description.
    public init(
        id: String, monitor: String?, state: String, started: String? = nil, messages: [String] = [],
        method: String
    ) {
        self.id = id
        self.monitor = monitor
        self.state = state
        self.started = started
        self.messages = messages
        self.method = method
    }
}

extension FirmwareUpdater {
    /// The TaskService task that updates `image` (its file name in the task's `Payload` or messages): one still in
    /// flight if there is one, else the newest; nil when the BMC shows none (or has no TaskService).
    public func updateTask(for image: FirmwareImage) async throws -> FirmwareUpdateTask? {
        let name = image.file.split(separator: "/").last.map(String.init) ?? image.file
        // The service root links the TaskService as `Tasks` (ServiceRoot schema); some BMCs as `TaskService`.
        let root = try await client.serviceRoot()
        guard let service = root["Tasks"]["@odata.id"].string ?? root["TaskService"]["@odata.id"].string,
            let collection = try await client.get(service)["Tasks"]["@odata.id"].string
        else { return nil }
        var found: [FirmwareUpdateTask] = []
        for member in try await client.get(collection)["Members"].array.compactMap({ $0["@odata.id"].string }) {
            let task = try await client.get(member)
            let payload = task["Payload"]
            let messages = task["Messages"].array
            let texts =
                [payload["JsonBody"].string, payload["TargetUri"].string].compactMap { $0 }
                + messages.flatMap {
                    [$0["Message"].string].compactMap { $0 } + $0["MessageArgs"].array.compactMap(\.string)
                }
            guard texts.contains(where: { $0.contains(name) }) else { continue }
            found.append(
                FirmwareUpdateTask(
                    id: task["@odata.id"].string ?? member, monitor: task["TaskMonitor"].string,
                    state: task["TaskState"].string ?? "Unknown", started: task["StartTime"].string,
                    messages: messages.compactMap { $0["Message"].string },
                    method: payload["TargetUri"].string?.contains("SimpleUpdate") == true
                        ? "simple-update" : "multipart"))
        }
        if let running = found.first(where: \.isRunning) { return running }
        return found.enumerated().max { ($0.element.started ?? "", $0.offset) < ($1.element.started ?? "", $1.offset) }?
            .element
    }

    /// Follows `task`, an update of `image` an earlier attempt started, to its end (within the endpoint's task
    /// timeout, reporting each poll), then for BMC firmware waits until it runs `image`'s version, as `flash` does
    /// (BIOS firmware stays staged for the next reset). Throws the BMC's error when the task does not complete.
    public func follow(_ task: FirmwareUpdateTask, image: FirmwareImage, progress: Progress? = nil) async throws {
        let name = image.component.rawValue
        let monitor = task.monitor ?? task.id
        var gone = false
        do {
            _ = try await client.waitForTask(monitor) { percent, state in
                await progress?("\(name) \(image.version): task \(state)", percent)
            }
        } catch {
            guard error.status == 404, monitor != task.id else { throw error }
            gone = true
        }
        if gone {
            // The monitor went away with the task's end: the task itself says how it ended.
            let ended = try await client.get(task.id)
            let state = ended["TaskState"].string ?? "in an unknown state"
            guard ["Completed", "CompletedWithWarnings"].contains(state) else {
                let messages = ended["Messages"].array.compactMap { $0["Message"].string }
                throw FirmwareError(
                    .update,
                    "\(client.endpoint.host): task \(task.id) ended \(state)"
                        + (messages.isEmpty ? "" : ": " + messages.joined(separator: "; ")))
            }
        }
        if !image.component.needsHostReset {
            try await waitUntilRunning(image)
        }
    }
}

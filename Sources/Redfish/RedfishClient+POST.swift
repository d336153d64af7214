import ChildTasks
import Foundation
import Logging

/// Where a host is in its power-on self-test, as one poll of its BMC showed it.
public struct POSTProgress: Sendable, Hashable, Codable {
    /// What told: `BootProgress`, `Oem.Hpe.PostState`, `job`, `settings` (the settings object's pending
    /// attributes) or `PowerState` (a BMC that shows nothing better).
    public var signal: String
    /// The state as the BMC names it (`MemoryInitializationStarted`, `InPost`, `Running`, `On`).
    public var state: String
    /// Whether this state means POST is over.
    public var finished: Bool
    /// Polls so far (GETs of the system, the job or the settings object), this one included.
    public var polls: Int

    /// `BootProgress MemoryInitializationStarted`.
    public var text: String { "\(signal) \(state)" }
}

extension RedfishClient {
    /// `BootProgress.LastState` values that mean POST is over (DMTF ComputerSystem `BootProgressTypes`: hardware
    /// initialisation complete, the BIOS setup menu, an OS loading or running).
    public static let postFinishedStates: Set<String> = [
        "SystemHardwareInitializationComplete", "SetupEntered", "OSBootStarted", "OSRunning",
    ]

    /// HPE iLO `Oem.Hpe.PostState` values after POST: `InPostDiscoveryComplete` ("the point at which it has been
    /// deemed safe to read and write the BIOS configuration information") and `FinishedPost` (the OS booted). Values
    /// and meanings: HPE's iLO Redfish reference, ComputerSystem `Oem.Hpe.PostState` (HewlettPackard/ilo-rest-api-docs);
    /// the same two end `WaitforiLORebootCompletion` in ansible-collections/community.general
    /// `plugins/module_utils/ilo_redfish_utils.py`.
    public static let hpePostFinishedStates: Set<String> = ["InPostDiscoveryComplete", "FinishedPost"]

    /// Waits for the end of the POST that follows a reset of `system`, the way the BMC tells it, and returns the
    /// poll that showed it:
    ///
    /// - `job` (an iDRAC configuration job the reset runs): the job reaching `Completed`; `Failed` is an error.
    /// - HPE `Oem.Hpe.PostState` when the system shows one, else `BootProgress.LastState`: a finished state
    ///   (`postFinishedStates`, `hpePostFinishedStates`) once the host is `On`. A finished state is believed only
    ///   when this wait saw the host in POST, or `BootProgress.LastStateTime` differs from `before`'s (the system as
    ///   read before the reset), or the host was not On before: right after the reset's answer a BMC may still show
    ///   the previous boot's `OSRunning`.
    /// - Neither (and the system before the reset showed neither): the settings applied, when the apply says what it
    ///   staged (`pending`: attribute → value PATCHed) and where (`settingsObject`, `biosResource`): the BIOS at
    ///   `biosResource` running every staged value (one read, which the apply's read-back then reuses), or else the
    ///   settings object no longer listing any of them or listing only values the BIOS already runs. The system is not
    ///   read: on such a service the settings are the only sign of POST's end. Without them, `PowerState` `On` alone
    ///   (logged: such a BMC cannot tell POST from OS).
    ///
    /// Bounded by `timeout` (a `.timeout` error naming the last state seen); `progress` hears every state change.
    public func waitForPOSTEnd(
        system: String, before: JSONValue?, timeout: Duration, firstPoll: Duration = .zero,
        poll: Duration = .seconds(2), job: String? = nil, settingsObject: String? = nil,
        pending: [String: JSONValue] = [:], biosResource: String? = nil,
        progress: (@Sendable (POSTProgress) async -> Void)? = nil
    ) async throws(RedfishError) -> POSTProgress {
        let deadline = ContinuousClock.now + timeout
        let watch = POSTWatch(
            system: system, before: before.map(Self.postMarkers), job: job, settingsObject: settingsObject,
            pending: pending, biosResource: biosResource)
        try? await Task.sleep(for: firstPoll)
        var polls = 0
        var last: POSTProgress?
        var sawPOST = before.map { $0["PowerState"].string != "On" } ?? false
        while true {
            polls += 1
            // This task waits through the whole POST: each poll's reads, and each report, run in a child task, so
            // the wait keeps only its own small frames (`ChildTask`).
            let (seen, saw) = try await ChildTask.run { [polls, sawPOST] () async throws(RedfishError) in
                try await self.pollPOST(watch, sawPOST: sawPOST, polls: polls)
            }
            sawPOST = saw
            if let progress, seen.state != last?.state || seen.signal != last?.signal {
                await ChildTask.run { await progress(seen) }
            }
            last = seen
            if seen.finished { return seen }
            guard ContinuousClock.now < deadline else {
                throw RedfishError(
                    kind: .timeout, bmc: endpoint.host, method: "GET", path: job ?? system,
                    message: "POST did not end within \(timeout) (last: \(seen.text), \(polls) polls)")
            }
            try? await Task.sleep(for: poll)
        }
    }

    /// What `waitForPOSTEnd` watches.
    private struct POSTWatch: Sendable {
        var system: String
        /// The system before the reset, reduced to `postMarkers`.
        var before: JSONValue?
        var job: String?
        var settingsObject: String?
        /// Attribute → the value the apply staged.
        var pending: [String: JSONValue]
        var biosResource: String?

        /// Whether the system before the reset showed no POST state (no `BootProgress`, no HPE `PostState`), and the
        /// apply says what it staged: the settings then tell the end of POST, without reading the system.
        var watchesSettingsOnly: Bool {
            guard let before, settingsObject != nil, biosResource != nil, !pending.isEmpty else { return false }
            let lastState = before["BootProgress"]["LastState"].string
            return (lastState == nil || lastState == "None") && before["Oem"]["Hpe"]["PostState"].isNull
                && before["Oem"]["Hp"]["PostState"].isNull
        }
    }

    /// One poll of `waitForPOSTEnd`: what the BMC shows, and whether the host has now been seen in POST.
    private func pollPOST(_ watch: POSTWatch, sawPOST: Bool, polls: Int) async throws(RedfishError) -> (
        POSTProgress, sawPOST: Bool
    ) {
        if let job = watch.job { return (try await jobProgress(job, polls: polls), sawPOST) }
        if watch.watchesSettingsOnly { return (try await settingsProgress(watch, polls: polls), sawPOST) }
        let document = try await fetch(watch.system).body
        let seen = Self.postProgress(document, before: watch.before, sawPOST: sawPOST, polls: polls)
        let finishedState =
            Self.postFinishedStates.contains(seen.state) || Self.hpePostFinishedStates.contains(seen.state)
            || seen.state == "On"
        let saw = sawPOST || !finishedState
        guard seen.signal == "PowerState", seen.state == "On" else { return (seen, saw) }
        guard watch.settingsObject != nil, watch.biosResource != nil, !watch.pending.isEmpty else {
            logger.info(
                "the BMC shows neither BootProgress nor a POST state: PowerState On is taken as the end of POST",
                metadata: ["bmc": "\(endpoint.host)", "system": "\(watch.system)"])
            return (seen, saw)
        }
        return (try await settingsProgress(watch, polls: polls), saw)
    }

    /// Whether the staged settings are applied: the BIOS runs every staged value, or the settings object lists none
    /// of them but values the BIOS already runs (some services, sushy-tools among them, keep listing applied
    /// attributes there).
    private func settingsProgress(_ watch: POSTWatch, polls: Int) async throws(RedfishError) -> POSTProgress {
        let running = try await fetch(watch.biosResource!).body["Attributes"].object ?? [:]
        var left = Set(watch.pending.filter { running[$0.key]?.isSameSetting(as: $0.value) != true }.keys)
        if !left.isEmpty {
            let staged = try await fetch(watch.settingsObject!).body["Attributes"].object ?? [:]
            left = left.filter { name in
                staged[name].map { value in running[name]?.isSameSetting(as: value) != true } ?? false
            }
        }
        return POSTProgress(
            signal: "settings", state: left.isEmpty ? "applied" : "\(left.count) pending", finished: left.isEmpty,
            polls: polls)
    }

    /// What `postProgress` reads of the system as it was before a reset: its `PowerState`, `BootProgress` and HPE
    /// `PostState` (a wait keeps this, not the whole document).
    public static func postMarkers(_ system: JSONValue) -> JSONValue {
        var kept: [String: JSONValue] = [:]
        for name in ["PowerState", "BootProgress"] { kept[name] = system[name].isNull ? nil : system[name] }
        for oem in ["Hpe", "Hp"] where !system["Oem"][oem]["PostState"].isNull {
            kept["Oem"] = .object([oem: .object(["PostState": system["Oem"][oem]["PostState"]])])
        }
        return .object(kept)
    }

    /// What one read of the system says about POST (no I/O): see `waitForPOSTEnd`.
    public static func postProgress(_ system: JSONValue, before: JSONValue?, sawPOST: Bool, polls: Int)
        -> POSTProgress
    {
        let power = system["PowerState"].string ?? "Unknown"
        let lastState = system["BootProgress"]["LastState"].string
        let hpe = system["Oem"]["Hpe"]["PostState"].string ?? system["Oem"]["Hp"]["PostState"].string
        guard power == "On" else {
            return POSTProgress(signal: "PowerState", state: power, finished: false, polls: polls)
        }
        let moved =
            sawPOST || before?["PowerState"].string != "On"
            || (system["BootProgress"]["LastStateTime"].string != nil
                && system["BootProgress"]["LastStateTime"] != before?["BootProgress"]["LastStateTime"])
        if let hpe {
            return POSTProgress(
                signal: "Oem.Hpe.PostState", state: hpe, finished: hpePostFinishedStates.contains(hpe) && moved,
                polls: polls)
        }
        if let lastState, lastState != "None" {
            return POSTProgress(
                signal: "BootProgress", state: lastState, finished: postFinishedStates.contains(lastState) && moved,
                polls: polls)
        }
        return POSTProgress(signal: "PowerState", state: power, finished: true, polls: polls)
    }

    /// One read of an iDRAC job: finished when `Completed` (or `CompletedWithErrors`); an error when it failed.
    private func jobProgress(_ path: String, polls: Int) async throws(RedfishError) -> POSTProgress {
        let job = try await fetch(path).body
        let state = job["JobState"].string ?? "Unknown"
        if ["Failed", "Cancelled"].contains(state) {
            throw RedfishError(
                kind: .invalidResponse, bmc: endpoint.host, method: "GET", path: path,
                message: "BIOS job \(job["Id"].string ?? path) \(state.lowercased()): "
                    + (job["Message"].string ?? "no message"))
        }
        return POSTProgress(
            signal: "job", state: state, finished: state == "Completed" || state == "CompletedWithErrors",
            polls: polls)
    }
}

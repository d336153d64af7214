import Catalog
import Foundation
import Logging
import Redfish
import Remote
import VendorTools

/// Flashes firmware through a BMC's Redfish UpdateService and proves it took.
///
/// Before any request the image's SHA-256 is checked against the repository. The push is multipart when the BMC
/// offers `MultipartHttpPushUri` (the BMC needs no route back to us), else `SimpleUpdate` with an `ImageURI` on our
/// own file server (`FirmwareFileServer`), `TransferProtocol` and `Targets`. The task is followed to its end. BMC
/// firmware must then show the new version as the running (Enabled) image, with no host reset; BIOS firmware is
/// staged `OnReset` so it shares the one reset of the BIOS settings (or the updater resets once itself). A failed
/// update is retried when the failure is transient, and otherwise rolled back by flashing the recorded previous
/// version from the repository, when there is one; the error then says exactly which version the server runs.
public actor FirmwareUpdater {
    /// How images reach the BMC.
    public enum Transfer: String, Sendable, Codable, CaseIterable {
        /// Multipart push when the BMC offers it, else SimpleUpdate.
        case auto
        /// Always SimpleUpdate (needs an image base URL).
        case simple
        /// Always a multipart push.
        case multipart
    }

    /// Settings.
    public struct Options: Sendable {
        /// Where our file server publishes the repository (`http://10.0.0.2:8088`); needed for SimpleUpdate.
        public var imageBaseURL: URL?
        /// How images reach the BMC.
        public var transfer: Transfer = .auto
        /// Retries, verification and rollback (the catalog's global firmware settings).
        public var safety = FirmwareSafety()
        /// Pause between attempts (the catalog's `retry_delay`, shortened in tests).
        public var retryDelay: Duration = .seconds(30)
        /// How long a BMC may take to run its new firmware after the task ends.
        public var activationTimeout: Duration = .seconds(900)
        /// How long a host may take to come back after a reset.
        public var hostTimeout: Duration = .seconds(1800)
        /// The first look at a resetting host.
        public var firstPoll: Duration = .seconds(10)
        /// Between looks at a BMC that is activating its firmware.
        public var activationPoll: Duration = .seconds(5)
        /// The system (its Id) on a BMC with several; nil: the first.
        public var system: String?
        /// The vendor's tool, used when the BMC's UpdateService cannot take the image (none, no push method, or a
        /// 4xx refusal of the push); never after a flash that started and failed (that is rolled back instead).
        public var fallbackTool: (any VendorFirmwareTool)?

        /// Default options.
        public init(imageBaseURL: URL? = nil) {
            self.imageBaseURL = imageBaseURL
        }
    }

    /// What one flash did.
    public struct Outcome: Sendable, Hashable, Codable {
        /// The component.
        public var component: FirmwareComponent
        /// The version before.
        public var from: String?
        /// The version flashed.
        public var to: String
        /// `multipart` or `simple-update`; `present` when the BMC already had it (an interrupted attempt flashed it).
        public var method: String
        /// The task monitor followed, if the BMC made one.
        public var task: String?
        /// `active` (running now), `staged` (runs after the next host reset).
        public var state: String
        /// Requests this flash sent.
        public var requests: Int

        /// Creates an outcome.
        public init(
            component: FirmwareComponent, from: String?, to: String, method: String, task: String?, state: String,
            requests: Int
        ) {
            self.component = component
            self.from = from
            self.to = to
            self.method = method
            self.task = task
            self.state = state
            self.requests = requests
        }
    }

    /// Reports progress: a message and a percentage when known.
    public typealias Progress = @Sendable (_ message: String, _ percent: Int?) async -> Void

    let client: RedfishClient
    private let library: FirmwareLibrary
    let options: Options
    let logger: Logger
    private var service: (simpleUpdate: String?, multipart: String?)?

    /// An updater for the BMC behind `client`, flashing images of `library`.
    public init(client: RedfishClient, library: FirmwareLibrary, options: Options, logger: Logger) {
        self.client = client
        self.library = library
        self.options = options
        self.logger = logger
    }

    // MARK: Plans

    /// Runs a plan's updates in order (BMC, BIOS, the rest). BIOS firmware is staged; with `resetHost` the
    /// updater then resets the host once and verifies the BIOS version (without it the caller's reset, e.g. the
    /// BIOS settings', applies it and `verifyActive` checks it). Returns what each flash did.
    public func run(
        _ plan: FirmwarePlan, resetHost: Bool, skippingPresent: Bool = false, progress: Progress? = nil
    ) async throws -> [Outcome] {
        // With `skippingPresent` (an attempt after an interrupted one), an image the BMC already runs or has staged
        // is not flashed again: a second flash of the same image is a second hardware action. A first attempt
        // works from the plan's inventory, read just before, and asks the BMC nothing more.
        let present = skippingPresent ? try? await client.firmwareInventory(system: options.system) : nil
        var outcomes: [Outcome] = []
        for item in plan.updates {
            guard let image = item.target else { continue }
            if let found = present?.items.first(where: {
                $0.component == item.component && FirmwareVersion($0.version).isSame(as: image.parsedVersion)
            }) {
                await progress?("\(item.component.rawValue) \(image.version) is already there; not flashed again", nil)
                outcomes.append(
                    Outcome(
                        component: item.component, from: item.current, to: image.version, method: "present",
                        task: nil, state: found.isActive ? "active" : "staged", requests: 0))
                continue
            }
            outcomes.append(try await flash(image, previous: item.current, progress: progress))
        }
        if resetHost, outcomes.contains(where: { $0.state == "staged" }) {
            try await resetAndWait(progress: progress)
            for outcome in outcomes where outcome.state == "staged" {
                try await verifyActive(outcome.component, version: outcome.to, previous: outcome.from)
            }
            for index in outcomes.indices where outcomes[index].state == "staged" { outcomes[index].state = "active" }
        }
        return outcomes
    }

    /// Checks that `component` runs `version` (after the reset that applies staged BIOS firmware); when it does
    /// not, rolls back to `previous` if the repository has it and says what the server runs.
    public func verifyActive(_ component: FirmwareComponent, version: String, previous: String?) async throws {
        let running = try await client.firmwareInventory(system: options.system).version(of: component)
        guard let running, FirmwareVersion(running).isSame(as: FirmwareVersion(version)) || running == version else {
            let seen = running ?? "an unknown version"
            try await failed(
                component, wanted: version, previous: previous,
                FirmwareError(
                    .verification,
                    "\(client.endpoint.host): after the reset \(component.rawValue) runs \(seen), not \(version)"))
        }
    }

    // MARK: One image

    /// Flashes one image: checksum, push, task, and for BMC firmware the wait until it runs. Transient failures
    /// are retried (`safety.maxRetryAttempts`); a failure that remains is rolled back to `previous` when the
    /// repository has that version.
    public func flash(_ image: FirmwareImage, previous: String?, progress: Progress? = nil) async throws -> Outcome {
        let file = try library.verify(image)
        let attempts = max(1, options.safety.maxRetryAttempts)
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await flashOnce(image, file: file, previous: previous, progress: progress)
            } catch let error as RedfishError where attempt < attempts && Self.mayPushAgain(error) {
                logger.warning(
                    "firmware push failed, retrying",
                    metadata: ["bmc": "\(client.endpoint.host)", "attempt": "\(attempt)", "error": "\(error)"])
                try await Task.sleep(for: options.retryDelay)
            } catch let error as FirmwareError where error.kind == .checksum {
                throw error
            } catch let error where Self.redfishCannot(error) {
                // Nothing was flashed: nothing to roll back.
                throw error
            } catch {
                try await failed(image.component, wanted: image.version, previous: previous, error)
            }
        }
    }

    private func flashOnce(
        _ image: FirmwareImage, file: URL, previous: String?, progress: Progress?
    ) async throws -> Outcome {
        let start = await client.requestCount
        let (simpleUpdate, multipart) = try await updateService()
        let target = try await targetPath(image.component)
        let applyTime = image.component.needsHostReset ? "OnReset" : "Immediate"
        await progress?("pushing \(image.component.rawValue) \(image.version)", 0)
        let answer: RedfishResponse?
        let method: String
        do {
            (answer, method) = try await push(
                image, file: file, simpleUpdate: simpleUpdate, multipart: multipart, target: target,
                applyTime: applyTime)
        } catch let error where Self.redfishCannot(error) {
            guard let tool = options.fallbackTool else { throw error }
            logger.warning(
                "the UpdateService cannot take the image; using the vendor tool",
                metadata: ["bmc": "\(client.endpoint.host)", "tool": "\(tool.kind.rawValue)", "error": "\(error)"])
            await progress?("\(tool.kind.rawValue): flashing \(image.component.rawValue) \(image.version)", nil)
            try await tool.flashFirmware(component: image.component.rawValue, image: file)
            (answer, method) = (nil, tool.kind.rawValue)
        }
        var task: String?
        if let answer, let monitor = answer.location, [200, 202, 204].contains(answer.status) {
            task = monitor
            CrashPoint.hit(CrashPoint.firmwareTask)
            let name = image.component.rawValue
            _ = try await client.waitForTask(monitor) { percent, state in
                await progress?("\(name) \(image.version): task \(state)", percent)
            }
        }
        var outcome = Outcome(
            component: image.component, from: previous, to: image.version, method: method, task: task,
            state: "staged", requests: 0)
        if image.component.needsHostReset {
            // Some BMCs (and emulators) apply BIOS images at once; most stage them for the next reset.
            if let running = try? await client.firmwareInventory(system: options.system).version(of: image.component),
                FirmwareVersion(running).isSame(as: image.parsedVersion) || running == image.version
            {
                outcome.state = "active"
            }
        } else {
            try await waitUntilRunning(image)
            outcome.state = "active"
        }
        outcome.requests = await client.requestCount - start
        return outcome
    }

    /// Sends the image: multipart, or SimpleUpdate with our file server's URL.
    private func push(
        _ image: FirmwareImage, file: URL, simpleUpdate: String?, multipart: String?, target: String?,
        applyTime: String
    ) async throws -> (RedfishResponse, String) {
        guard simpleUpdate != nil || multipart != nil else {
            throw FirmwareError(.update, "\(client.endpoint.host) has no UpdateService that takes images")
        }
        let useMultipart: Bool
        switch options.transfer {
        case .auto: useMultipart = multipart != nil || options.imageBaseURL == nil
        case .simple: useMultipart = false
        case .multipart: useMultipart = true
        }
        if useMultipart {
            guard let multipart else {
                throw FirmwareError(
                    .update,
                    "\(client.endpoint.host) offers no MultipartHttpPushUri; serve the repository (--image-base-url) "
                        + "for SimpleUpdate")
            }
            let bytes: Data
            do {
                bytes = try Data(contentsOf: file)
            } catch {
                throw FirmwareError(.repository, "cannot read \(file.path): \(error.localizedDescription)")
            }
            // The checksum was checked on the file; check the bytes about to be sent as well.
            guard FirmwareLibrary.digestHex(bytes) == image.sha256 else {
                throw FirmwareError(.checksum, "\(image.file) changed while it was being read; not sent")
            }
            var parameters: [String: JSONValue] = ["@Redfish.OperationApplyTime": .string(applyTime)]
            if let target { parameters["Targets"] = .array([.string(target)]) }
            let answer = try await client.pushFirmware(
                multipart, parameters: .object(parameters), fileName: file.lastPathComponent, image: bytes)
            return (answer, "multipart")
        } else {
            guard let simpleUpdate else {
                throw FirmwareError(.update, "\(client.endpoint.host) offers no UpdateService.SimpleUpdate action")
            }
            guard let base = options.imageBaseURL else {
                throw FirmwareError(
                    .update,
                    "SimpleUpdate needs our file server's address (--image-base-url http://ADDRESS:PORT) that "
                        + "\(client.endpoint.host) can reach")
            }
            let uri = FirmwareLibrary.downloadURL(of: image, base: base)
            var body: [String: JSONValue] = [
                "ImageURI": .string(uri.absoluteString),
                "TransferProtocol": .string(base.scheme?.uppercased() == "HTTPS" ? "HTTPS" : "HTTP"),
                "@Redfish.OperationApplyTime": .string(applyTime),
            ]
            if let target { body["Targets"] = .array([.string(target)]) }
            return (try await client.post(simpleUpdate, .object(body)), "simple-update")
        }
    }

    /// Whether `error` says the Redfish route cannot take the image at all (as opposed to a flash that failed).
    static func redfishCannot(_ error: any Error) -> Bool {
        if let error = error as? FirmwareError { return error.kind == .update }
        if let error = error as? RedfishError, let status = error.status {
            return (400..<500).contains(status) && status != 401 && status != 403
        }
        return false
    }

    /// Polls the firmware inventory until `image`'s component runs its version (a BMC restarting onto new
    /// firmware stops answering for a while: errors in between are expected).
    func waitUntilRunning(_ image: FirmwareImage) async throws {
        let deadline = ContinuousClock.now + options.activationTimeout
        var last = "no answer"
        while true {
            do {
                let inventory = try await client.firmwareInventory(system: options.system)
                if let item = inventory.items.first(where: { $0.component == image.component && $0.isActive }) {
                    if FirmwareVersion(item.version).isSame(as: image.parsedVersion) || item.version == image.version {
                        return
                    }
                    last = "\(item.version) (\(item.health ?? "health unknown"))"
                }
            } catch {
                last = "\(error)"
            }
            guard ContinuousClock.now < deadline else {
                throw FirmwareError(
                    .verification,
                    "\(client.endpoint.host): \(image.component.rawValue) does not run \(image.version) "
                        + "\(options.activationTimeout) after the update; last seen \(last)")
            }
            try await Task.sleep(for: options.activationPoll)
        }
    }

    // MARK: Failure and rollback

    /// What a failed update's message says after the error when the component was put back on its previous
    /// version: a rollout reads its children's failures with it (`"; rolled back: "`).
    public static let rolledBack = "; rolled back: "

    /// Rolls back after `error` when it can, and throws an error saying what the server runs now.
    private func failed(
        _ component: FirmwareComponent, wanted: String, previous: String?, _ error: any Error
    ) async throws -> Never {
        let host = client.endpoint.host
        let why = "\(host): \(component.rawValue) update to \(wanted) failed: \(error)"
        guard options.safety.rollbackOnFailure else {
            throw FirmwareError(
                .update, why + "; rollback is off (rollback_on_failure: false)" + (await runningNow(component)))
        }
        guard let previous,
            let image = try library.images().first(where: {
                $0.component == component && $0.version == previous
                    && FirmwareVersion($0.version).isSame(as: FirmwareVersion(previous))
            })
        else {
            throw FirmwareError(
                .update,
                why + "; no image of the previous version \(previous ?? "(unknown)") in the repository to roll back to"
                    + (await runningNow(component)))
        }
        logger.warning("rolling back", metadata: ["bmc": "\(host)", "to": "\(previous)"])
        do {
            let file = try library.verify(image)
            let outcome = try await flashOnce(image, file: file, previous: nil, progress: nil)
            if outcome.state == "staged" {
                try await resetAndWait(progress: nil)
            }
            let running = try await client.firmwareInventory(system: options.system).version(of: component)
            guard let running, FirmwareVersion(running).isSame(as: FirmwareVersion(previous)) || running == previous
            else {
                throw FirmwareError(.verification, "after the rollback \(component.rawValue) runs \(running ?? "?")")
            }
        } catch {
            throw FirmwareError(
                .update, why + "; the rollback to \(previous) failed too: \(error)" + (await runningNow(component)))
        }
        throw FirmwareError(
            .update, why + Self.rolledBack + "\(component.rawValue) runs \(previous) again")
    }

    private func runningNow(_ component: FirmwareComponent) async -> String {
        guard let inventory = try? await client.firmwareInventory(system: options.system),
            let item = inventory.items.first(where: { $0.component == component && $0.isActive })
        else { return "; the BMC does not say which version runs now" }
        return "; the BMC reports \(component.rawValue) \(item.version)" + (item.health.map { " (health \($0))" } ?? "")
    }

    // MARK: Redfish paths

    private func updateService() async throws -> (String?, String?) {
        if let service { return service }
        let root = try await client.serviceRoot()
        guard let path = root["UpdateService"]["@odata.id"].string else {
            service = (nil, nil)
            return (nil, nil)
        }
        let document = try await client.get(path)
        let found = (
            document["Actions"]["#UpdateService.SimpleUpdate"]["target"].string,
            document["MultipartHttpPushUri"].string
        )
        service = found
        return found
    }

    private func targetPath(_ component: FirmwareComponent) async throws -> String? {
        switch component {
        case .bmc: return try await client.members(of: "Managers").first
        case .bios: return try await client.systemPath(options.system)
        case .other: return nil
        }
    }

    private func resetAndWait(progress: Progress?) async throws {
        guard let system = try await client.systemPath(options.system) else {
            throw FirmwareError(.update, "\(client.endpoint.host) shows no system to reset")
        }
        await progress?("resetting the host to run the staged BIOS firmware", nil)
        let before = try await client.fetch(system).body
        try await client.reset(system: system, type: before["PowerState"].string == "Off" ? "On" : "ForceRestart")
        // The BIOS firmware is flashed during POST: the inventory read next must come after it, not at PowerState On
        // (which iLO and Supermicro show through POST).
        _ = try await client.waitForPOSTEnd(
            system: system, before: before, timeout: options.hostTimeout, firstPoll: options.firstPoll,
            progress: { step in await progress?("POST: \(step.text)", nil) })
    }

    /// A push is sent again only when no answer came or the BMC said it was busy (503, or its busy message): another
    /// 5xx answering a push may mean the image itself was refused, which a resend does not fix.
    static func mayPushAgain(_ error: RedfishError) -> Bool {
        error.isUnanswered || error.saysBusy || error.status == 503
    }
}

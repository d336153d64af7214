import Foundation
import Logging

/// What a BMC shows after an action's answer was lost.
enum ActionOutcome: Sendable {
    /// It acted; the response stands in for the lost answer (a task to follow, or an empty success).
    case acted(RedfishResponse)
    /// It did not act (or what it did was undone): sending again is safe.
    case notActed
    /// It cannot tell; the reason, for the error.
    case unknown(String)
}

extension RedfishClient {
    /// What tells, after an action's answer was lost, whether the BMC carried it out.
    enum LostAnswerCheck: Sendable {
        /// `ComputerSystem.Reset` of `system` with `type`; `before` is the system as read before the POST.
        case reset(system: String, type: String, before: JSONValue)
        /// A firmware update of the image named `image`; `tasksBefore` are the TaskService tasks before the POST
        /// (nil: the TaskService could not be read).
        case update(image: String, tasksBefore: Set<String>?)
        /// Nothing: a lost answer leaves the outcome unknown.
        case none
    }

    /// Reset types that bring the system to a power state (resending one that was carried out changes nothing).
    static let targetStateResets: Set<String> = ["On", "ForceOn", "ForceOff", "GracefulShutdown"]

    /// The check for a POST to `path` (a reset or SimpleUpdate target by its name; anything else: none), with what
    /// it needs read before the POST.
    func lostAnswerCheck(_ path: String, body: JSONValue) async throws(RedfishError) -> LostAnswerCheck {
        if let range = path.range(of: "/Actions/ComputerSystem.Reset") {
            let system = String(path[..<range.lowerBound])
            return .reset(
                system: system, type: body["ResetType"].string ?? "", before: try await fetch(system).body)
        }
        if path.hasSuffix("UpdateService.SimpleUpdate") {
            let uri = body["ImageURI"].string ?? ""
            return .update(image: uri.split(separator: "/").last.map(String.init) ?? uri, tasksBefore: await tasks())
        }
        return .none
    }

    /// POSTs an action once; after a lost answer (timeout, reset connection, 5xx) asks the BMC, through `check`,
    /// whether it acted: if so the action's stand-in answer is returned, if not it is sent again (up to the
    /// endpoint's attempts), and if the BMC cannot tell, a `.refused` error with `outcomeUnknown`.
    func postAction(_ path: String, body: JSONValue?, raw: RawBody? = nil, check: LostAnswerCheck)
        async throws(RedfishError) -> RedfishResponse
    {
        try await unrepeated(
            "POST", path,
            perform: { () async throws(RedfishError) -> RedfishResponse in
                try await send("POST", path, body: body, raw: raw, attempts: 1)
            },
            verify: { () async throws(RedfishError) -> ActionOutcome in try await verify(check) })
    }

    /// The one place that decides what follows a lost answer to a non-idempotent request: `perform` is sent once;
    /// on a transient failure an explicit "busy, retry" refusal (iDRAC SYS518, iLO InvalidOperationForSystemState)
    /// is sent again, anything else is resent only when `verify` says the BMC did not act.
    func unrepeated(
        _ method: String, _ path: String, perform: () async throws(RedfishError) -> RedfishResponse,
        verify: () async throws(RedfishError) -> ActionOutcome
    ) async throws(RedfishError) -> RedfishResponse {
        var attempt = 0
        while true {
            attempt += 1
            let lost: RedfishError
            do {
                return try await perform()
            } catch  where error.isTransient {
                lost = error
            }
            var outcome = ActionOutcome.notActed
            if !lost.saysBusy {
                do {
                    outcome = try await verify()
                } catch {
                    outcome = .unknown("asking the BMC what happened failed too (\(error))")
                }
            }
            switch outcome {
            case .acted(let response):
                logger.info(
                    "an action's answer was lost; the BMC shows it was carried out",
                    metadata: ["bmc": "\(endpoint.host)", "path": "\(path)", "error": "\(lost.message)"])
                return response
            case .notActed:
                guard attempt < endpoint.attempts else { throw lost }
                logger.debug(
                    "an action's answer was lost; the BMC shows it was not carried out, sending again",
                    metadata: ["bmc": "\(endpoint.host)", "path": "\(path)", "attempt": "\(attempt)"])
                try? await Task.sleep(for: .milliseconds(100 * (1 << (attempt - 1))))
            case .unknown(let reason):
                var error = RedfishError(
                    kind: .refused, bmc: endpoint.host, method: method, path: path, status: lost.status,
                    message:
                        "the answer was lost (\(lost.message)) and \(reason): the action may or may not have been "
                        + "carried out, so it was not repeated; check the BMC before trying again",
                    extendedInfo: lost.extendedInfo)
                error.outcomeUnknown = true
                throw error
            }
        }
    }

    /// Asks the BMC whether the action behind `check` was carried out.
    func verify(_ check: LostAnswerCheck) async throws(RedfishError) -> ActionOutcome {
        switch check {
        case .none:
            return .unknown("nothing on the BMC tells whether this action was carried out")
        case .reset(let system, let type, let before):
            let after = try await fetch(system).body
            guard let now = after["PowerState"].string else { return .unknown("\(system) shows no PowerState") }
            let was = before["PowerState"].string
            let bootBefore = before["BootProgress"]["LastStateTime"].string
            let bootAfter = after["BootProgress"]["LastStateTime"].string
            if now != was || (bootAfter != nil && bootAfter != bootBefore) {
                return .acted(RedfishResponse(status: 204))
            }
            if Self.targetStateResets.contains(type) || (bootAfter != nil && bootBefore != nil) {
                return .notActed
            }
            return .unknown(
                "\(system) is still \(now) and shows no BootProgress, so a \(type) cannot be told from none")
        case .update(let image, let before):
            guard let before else { return .unknown("the BMC's TaskService could not be read before the update") }
            guard let after = await tasks() else { return .unknown("the BMC's TaskService cannot be read") }
            var matching: [JSONValue] = []
            for task in after.subtracting(before).sorted() {
                let document = try await fetch(task).body
                let payload = document["Payload"]
                if payload == .null || String(describing: payload).contains(image) { matching.append(document) }
            }
            if matching.isEmpty && after.subtracting(before).isEmpty { return .notActed }
            guard matching.count == 1, let task = matching.first, let id = task["@odata.id"].string else {
                return .unknown("\(matching.count) new tasks could be the update of \(image)")
            }
            let finished = ["Completed", "CompletedWithWarnings", "Exception", "Killed", "Cancelled", "Interrupted"]
            let follow = finished.contains(task["TaskState"].string ?? "") ? id : task["TaskMonitor"].string ?? id
            return .acted(RedfishResponse(status: 202, location: follow, body: task))
        }
    }

    /// The `@odata.id`s of the TaskService's tasks; nil when the BMC has none or they cannot be read.
    func tasks() async -> Set<String>? {
        do {
            // The service root links the TaskService as `Tasks` (ServiceRoot schema); some BMCs as `TaskService`.
            let root = try await serviceRoot()
            guard let service = root["Tasks"]["@odata.id"].string ?? root["TaskService"]["@odata.id"].string,
                let collection = try await fetch(service).body["Tasks"]["@odata.id"].string
            else { return nil }
            return Set(try await fetch(collection).body["Members"].array.compactMap { $0["@odata.id"].string })
        } catch {
            return nil
        }
    }
}

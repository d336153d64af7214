import Foundation
import Redfish

extension SimulatedBMC {
    /// The kinds of request a lab BMC tells apart, for faults configured by kind (`LabConfig.Faults`) and for
    /// answers lost or refused by kind (`lostAnswers`, `refusedActions`). Other requests (DELETE, other POSTs)
    /// have no kind: only the global fault rates apply to them.
    public enum ActionKind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Any GET or HEAD.
        case get
        /// Any PATCH: BIOS settings, the manager's EthernetInterfaces, AccountService accounts, host interfaces.
        case patch
        /// `ComputerSystem.Reset`.
        case reset
        /// A firmware update: `UpdateService.SimpleUpdate` or a multipart push.
        case update
        /// A session login (POST `SessionService/Sessions`).
        case session

        /// Whether requests of this kind change the server or its BMC (`patch`, `reset`, `update`); a login
        /// creates a session but changes nothing a client configures.
        public var isChange: Bool { self == .patch || self == .reset || self == .update }

        /// The kind of `request`, when it has one.
        init?(_ request: LabRequest) {
            switch request.method {
            case "GET", "HEAD":
                self = .get
                return
            case "PATCH":
                self = .patch
                return
            case "POST": break
            default: return nil
            }
            var path = request.path
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            if path.hasSuffix("/Actions/ComputerSystem.Reset") {
                self = .reset
            } else if path.hasSuffix("/UpdateService.SimpleUpdate") || path.hasSuffix("/UpdateService/upload") {
                self = .update
            } else if path.hasSuffix("/SessionService/Sessions") {
                self = .session
            } else {
                return nil
            }
        }
    }

    /// How a performed action's answer is lost, the way real BMCs lose them (also how a BMC whose web server is
    /// restarting answers: `Settings.restartAfterUpdate`).
    public enum LostAnswer: String, Sendable, Hashable, Codable {
        /// The connection is reset instead of answered.
        case connectionReset
        /// `503 Service Unavailable` is answered instead.
        case serviceUnavailable
    }

    /// Live sessions (created and not deleted).
    public var liveSessions: Int { sessions.count }

    /// A 503 for `request`, not performed, when it is an action of a kind armed in `refusedActions`.
    mutating func refuse(_ request: LabRequest) -> LabResponse? {
        guard let kind = ActionKind(request), let count = refusedActions[kind], count > 0 else { return nil }
        refusedActions[kind] = count > 1 ? count - 1 : nil
        counters.requests += 1
        return .error(503, "Base.1.8.ServiceTemporarilyUnavailable", "The service is temporarily unavailable.")
    }

    /// `response` as the client gets it: lost when `request` is an action of a kind armed in `lostAnswers` and the
    /// BMC performed it (a 2xx answer); an action the BMC refused keeps its answer.
    mutating func loseAnswer(of request: LabRequest, _ response: LabResponse) -> LabResponse {
        guard let kind = ActionKind(request), (200..<300).contains(response.status),
            let loss = lostAnswers[kind]?.first
        else { return response }
        lostAnswers[kind]?.removeFirst()
        if lostAnswers[kind]?.isEmpty == true { lostAnswers[kind] = nil }
        counters.answersLost += 1
        switch loss {
        case .connectionReset:
            var dropped = LabResponse(status: 500)
            dropped.dropsConnection = true
            return dropped
        case .serviceUnavailable:
            return .error(503, "Base.1.8.ServiceTemporarilyUnavailable", "The service is temporarily unavailable.")
        }
    }

    /// The system's `BootProgress` (DMTF `BootProgressTypes`): through POST the processor, memory and PCI phases in
    /// turn (each a third of `Settings.postSeconds`), `OSRunning` after, `None` when off; `LastStateTime` is when
    /// the state began, on a BMC clock that moves a second per boot (see `boots`).
    var bootProgress: JSONValue {
        let phases = [
            "PrimaryProcessorInitializationStarted", "MemoryInitializationStarted", "PCIResourceConfigStarted",
        ]
        let state: String
        var began = poweredOnAt
        switch power {
        case .poweringOn:
            let post = settings.postSeconds
            let done = post > 0 ? (lastSeen - poweredOnAt) / post : 0
            let phase = Int(min(Double(phases.count - 1), max(0, done * Double(phases.count))))
            state = phases[phase]
            began += post * Double(phase) / Double(phases.count)
        case .on:
            state = "OSRunning"
            began += boots == 0 ? 0 : settings.postSeconds
        case .off: state = "None"
        }
        let stamp = Date(timeIntervalSince1970: began + Double(boots))
        let time = stamp.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        return .object(["LastState": .string(state), "LastStateTime": .string(time)])
    }

    /// The `PowerState` the system shows: iLO, Supermicro, iDRAC and XCC say `On` from the moment a reset powers the
    /// host, through POST; the generic profile says `PoweringOn` until POST ends (as the DMTF schema allows).
    var reportedPowerState: String {
        power == .poweringOn && profile != .generic ? Power.on.rawValue : power.rawValue
    }

    /// HPE iLO's `Oem.Hpe.PostState`: `PowerOff`, `InPost` through POST, `FinishedPost` after (HPE's iLO Redfish
    /// reference, ComputerSystem `Oem.Hpe.PostState`).
    var hpePostState: String {
        switch power {
        case .off: "PowerOff"
        case .poweringOn: "InPost"
        case .on: "FinishedPost"
        }
    }

    var taskService: JSONValue {
        .object([
            "@odata.id": .string(Self.root + "/TaskService"), "Id": .string("TaskService"),
            "ServiceEnabled": .bool(true), "Tasks": Self.link("/TaskService/Tasks"),
        ])
    }

    /// One task of `TaskService/Tasks`: its state and progress (as of this request's time), its monitor and what
    /// started it (`Payload`).
    func taskRecord(_ id: String) -> LabResponse {
        guard let record = tasks[id] else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No task \(id).")
        }
        let target =
            record.target == "upload"
            ? Self.root + "/UpdateService/upload" : Self.root + "/UpdateService/Actions/UpdateService.SimpleUpdate"
        return ok(
            .object([
                "@odata.id": .string("\(Self.root)/TaskService/Tasks/\(id)"), "Id": .string(id),
                "TaskState": .string(record.state), "PercentComplete": .number(Double(record.percent)),
                "TaskMonitor": .string("\(Self.root)/TaskService/TaskMonitors/\(id)"),
                "Payload": .object([
                    "TargetUri": .string(target), "HttpOperation": .string("POST"),
                    "JsonBody": .string("{\"ImageURI\": \"\(record.image)\"}"),
                ]),
            ]))
    }
}

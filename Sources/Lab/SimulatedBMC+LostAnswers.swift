import Foundation
import Redfish

extension SimulatedBMC {
    /// The actions whose answer a lab BMC can lose after performing them.
    public enum ActionKind: String, Sendable, Hashable, Codable, CaseIterable {
        /// `ComputerSystem.Reset`.
        case reset
        /// A firmware update: `UpdateService.SimpleUpdate` or a multipart push.
        case update
        /// A session login (POST `SessionService/Sessions`).
        case session

        /// The kind of `request`, when it is one of these actions.
        init?(_ request: LabRequest) {
            guard request.method == "POST" else { return nil }
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

    /// How a performed action's answer is lost, the way real BMCs lose them.
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
        switch loss {
        case .connectionReset:
            var dropped = LabResponse(status: 500)
            dropped.dropsConnection = true
            return dropped
        case .serviceUnavailable:
            return .error(503, "Base.1.8.ServiceTemporarilyUnavailable", "The service is temporarily unavailable.")
        }
    }

    /// The system's `BootProgress`: its last state and when the host last (re)started.
    var bootProgress: JSONValue {
        let state: String
        switch power {
        case .poweringOn: state = "SystemHardwareInitializationStarting"
        case .on: state = "OSRunning"
        case .off: state = "None"
        }
        let time = Date(timeIntervalSince1970: poweredOnAt).formatted(.iso8601)
        return .object(["LastState": .string(state), "LastStateTime": .string(time)])
    }

    var taskService: JSONValue {
        .object([
            "@odata.id": .string(Self.root + "/TaskService"), "Id": .string("TaskService"),
            "ServiceEnabled": .bool(true), "Tasks": Self.link("/TaskService/Tasks"),
        ])
    }

    /// One task of `TaskService/Tasks`: its state, its monitor and what started it (`Payload`).
    func taskRecord(_ id: String) -> LabResponse {
        guard let record = taskRecords[id] else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No task \(id).")
        }
        let target =
            record.target == "upload"
            ? Self.root + "/UpdateService/upload" : Self.root + "/UpdateService/Actions/UpdateService.SimpleUpdate"
        return ok(
            .object([
                "@odata.id": .string("\(Self.root)/TaskService/Tasks/\(id)"), "Id": .string(id),
                "TaskState": .string(record.state),
                "TaskMonitor": .string("\(Self.root)/TaskService/TaskMonitors/\(id)"),
                "Payload": .object([
                    "TargetUri": .string(target), "HttpOperation": .string("POST"),
                    "JsonBody": .string("{\"ImageURI\": \"\(record.image)\"}"),
                ]),
            ]))
    }
}

extension RedfishClient {
    /// The system's `PowerState` (`On`, `Off`, `PoweringOn`, ...).
    public func powerState(system: String) async throws(RedfishError) -> String {
        let state = try await fetch(system).body["PowerState"].string
        guard let state else {
            throw RedfishError(
                kind: .invalidResponse, bmc: endpoint.host, method: "GET", path: system,
                message: "the system has no PowerState")
        }
        return state
    }

    /// Sends `ComputerSystem.Reset` with `type` (`On`, `ForceOff`, `ForceRestart`, ...), to the target the system
    /// advertises, once: after a lost answer the system's `PowerState` and `BootProgress` tell whether the BMC acted
    /// (see `postAction`). `current`: the system as just read by the caller (else it is read here).
    public func reset(system: String, type: String, current: JSONValue? = nil) async throws(RedfishError) {
        let document: JSONValue
        if let current { document = current } else { document = try await fetch(system).body }
        let target =
            document["Actions"]["#ComputerSystem.Reset"]["target"].string ?? system + "/Actions/ComputerSystem.Reset"
        let allowed = document["Actions"]["#ComputerSystem.Reset"]["ResetType@Redfish.AllowableValues"].array
            .compactMap(\.string)
        guard allowed.isEmpty || allowed.contains(type) else {
            throw RedfishError(
                kind: .invalidResponse, bmc: endpoint.host, method: "POST", path: target,
                message: "ResetType \(type) is not offered; the BMC allows \(allowed.joined(separator: ", "))")
        }
        // A lost answer is not resent blindly: the power state and BootProgress tell whether the reset happened.
        _ = try await postAction(
            target, body: .object(["ResetType": .string(type)]),
            check: .reset(system: system, type: type, before: document))
    }

    /// Polls until the system reports `state`; a timeout names the last state seen.
    public func waitForPowerState(
        system: String, _ state: String, timeout: Duration, firstPoll: Duration = .zero, poll: Duration = .seconds(2)
    ) async throws(RedfishError) {
        let deadline = ContinuousClock.now + timeout
        try? await Task.sleep(for: firstPoll)
        while true {
            let now = try await powerState(system: system)
            if now == state { return }
            guard ContinuousClock.now < deadline else {
                throw RedfishError(
                    kind: .timeout, bmc: endpoint.host, method: "GET", path: system,
                    message: "the system did not reach \(state) within \(timeout) (last state \(now))")
            }
            try? await Task.sleep(for: poll)
        }
    }
}

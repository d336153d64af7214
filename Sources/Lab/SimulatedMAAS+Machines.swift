import Foundation
import Redfish

/// Machines: the collection (`machines/`: read with filters, `allocate`, `power_parameters`) and one machine
/// (`machines/{system_id}/`), with MAAS's state machine and power actions on the machine's BMC.
///
/// Transitions and their refusals follow canonical/maas `src/maasserver/node_status.py` (`NODE_TRANSITIONS`),
/// `src/maasserver/models/node.py` (`abort_operation`, `abort_commissioning`, `abort_deploying`, `mark_fixed`) and
/// `src/maasserver/api/machines.py` (`deploy`, `release`, `allocate`); a refused transition is MAAS's
/// `NodeStateViolation`, HTTP 409 with MAAS's words.
extension SimulatedMAAS {
    mutating func machinesRoute(_ request: Request, _ rest: [String]) -> LabResponse {
        if rest.isEmpty {
            switch (request.method, request.op) {
            case ("GET", nil):
                return json(.array(filtered(request).map { render(machines[$0], now: request.now) }))
            case ("POST", "allocate"):
                return allocate(request)
            case ("GET", "power_parameters"):
                // MachinesHandler.power_parameters (nodes.py PowersMixin): by system id, every machine without `id`.
                let ids = request.query["id"]
                var answer: [String: JSONValue] = [:]
                for machine in machines where ids == nil || ids!.contains(machine.systemID) {
                    answer[machine.systemID] = powerParameters(machine, host: request.host)
                }
                return json(.object(answer))
            default:
                return unrecognised(request)
            }
        }
        guard rest.count == 1 else { return notFound(request.method, "machines/" + rest.joined(separator: "/") + "/") }
        guard let index = machines.firstIndex(where: { $0.systemID == rest[0] }) else {
            return LabResponse(status: 404, rawBody: "No Machine matches the given query.")
        }
        return machineOperation(request, index: index)
    }

    /// `machines/` filters (NodesHandler.read via `filter_nodes`): repeated values OR, different keys AND.
    func filtered(_ request: Request) -> [Int] {
        machines.indices.filter { index in
            let machine = machines[index]
            if let names = request.query["hostname"], !names.contains(machine.hostname) { return false }
            if let macs = request.query["mac_address"]?.map({ $0.lowercased() }),
                Set(machine.macs.map { $0.lowercased() }).isDisjoint(with: macs)
            {
                return false
            }
            if let ids = request.query["id"], !ids.contains(machine.systemID) { return false }
            if let tags = request.query["tags"], !Set(tags).isSubset(of: machine.tags) { return false }
            if let statuses = request.query["status"],
                !statuses.contains(where: { $0.lowercased() == machine.status.name.lowercased() })
            {
                return false
            }
            return true
        }
    }

    // MARK: One machine

    private mutating func machineOperation(_ request: Request, index: Int) -> LabResponse {
        let now = request.now
        let status = machines[index].status
        let id = machines[index].systemID
        switch (request.method, request.op) {
        case ("GET", nil):
            break
        case ("PUT", nil):
            if let description = request.form["description"]?.first { machines[index].description = description }
            if let hostname = request.form["hostname"]?.first, !hostname.isEmpty { machines[index].hostname = hostname }
        case ("GET", "query_power_state"):
            // PowerMixin.query_power_state: the BMC asked now, `{"state": ...}`.
            return json(.object(["state": .string(powerState(index, now: now))]))
        case ("GET", "power_parameters"):
            return json(powerParameters(machines[index], host: request.host))
        case ("POST", "commission"):
            // NODE_TRANSITIONS: New, Ready, Failed commissioning and Broken may start commissioning.
            guard [.new, .ready, .failedCommissioning, .broken].contains(status) else {
                return conflict("Invalid transition: \(status.name) -> Commissioning.")
            }
            commissionForms[id] = request.form
            machines[index].enableSSH = request.flag("enable_ssh")
            // Node.start_commissioning: the node is owned by the user commissioning it until it is Ready.
            machines[index].owner = user
            powerOn(index, now: now)
            transition(index, .commissioning, then: .ready, now: now)
        case ("POST", "abort"):
            // Node.abort_operation: commissioning goes back to New, deploying to Allocated; the node is stopped.
            switch status {
            case .commissioning:
                machines[index].owner = nil
                set(index, .new)
            case .deploying: set(index, .allocated)
            default:
                return conflict("Cannot abort in current state: node \(id) is in state \(status.name).")
            }
            powerOff(index, now: now)
        case ("POST", "deploy"):
            // machines.py deploy: a Ready machine is acquired first; only Allocated may go on to Deploying.
            if status == .ready {
                machines[index].owner = user
                set(index, .allocated)
            } else if status != .allocated {
                return conflict("Can't deploy a machine that is in the '\(status.name)' state")
            }
            machines[index].distro = request.value("distro_series") ?? "jammy"
            powerOn(index, now: now)
            transition(index, .deploying, then: .deployed, now: now)
        case ("POST", "release"):
            // machines.py release: Ready or Releasing is already done; Allocated, Deployed and the failed states
            // release (powered off, then Ready); anything else is refused.
            if status == .ready || status == .releasing { break }
            guard [.allocated, .deployed, .deploying, .failedCommissioning, .broken].contains(status) else {
                return conflict("Machine cannot be released in its current state ('\(status.name)').")
            }
            machines[index].owner = nil
            machines[index].distro = nil
            powerOff(index, now: now)
            transition(index, .releasing, then: .ready, now: now)
        case ("POST", "power_on"):
            // PowerMixin.power_on: only an allocated (owned) machine may be started.
            guard machines[index].owner != nil else { return conflict("Can't start node: it hasn't been allocated.") }
            powerOn(index, now: now)
        case ("POST", "power_off"):
            powerOff(index, now: now)
        case ("POST", "mark_broken"):
            set(index, .broken)
        case ("POST", "mark_fixed"):
            guard status == .broken else { return conflict("Can't mark a non-broken node as 'Ready'.") }
            set(index, .ready)
        default:
            return unrecognised(request)
        }
        return json(render(machines[index], now: now))
    }

    /// MachinesHandler.allocate: the first Ready machine matching the constraints becomes Allocated to the caller;
    /// none is 409 `NodesNotAvailable`. Constraints served: `name`, `system_id`, `arch`, `cpu_count`, `mem`,
    /// `tags`, `not_tags`, `zone`, `pool`; `dry_run` answers without acquiring.
    private mutating func allocate(_ request: Request) -> LabResponse {
        var described: [String] = []
        for key in ["name", "system_id", "arch", "cpu_count", "mem", "tags", "not_tags", "zone", "pool"] {
            let values = request.list(key)
            if !values.isEmpty { described.append("\(key)=\(values.joined(separator: ","))") }
        }
        let candidates = machines.indices.filter { index in
            let machine = machines[index]
            guard machine.status == .ready, machine.owner == nil else { return false }
            if let name = request.value("name"), name != machine.hostname, name != fqdn(machine) { return false }
            if let id = request.value("system_id"), id != machine.systemID { return false }
            let arches = request.list("arch")
            if !arches.isEmpty, !arches.contains(where: { Self.architecture.hasPrefix($0) }) { return false }
            if let cpus = request.value("cpu_count").flatMap(Double.init), Double(machine.cpuCount) < cpus {
                return false
            }
            if let memory = request.value("mem").flatMap(Double.init), Double(machine.memoryMiB) < memory {
                return false
            }
            if !Set(request.list("tags")).isSubset(of: machine.tags) { return false }
            if !Set(request.list("not_tags")).isDisjoint(with: machine.tags) { return false }
            if let zone = request.value("zone"), zone != Self.zoneName { return false }
            if let pool = request.value("pool"), pool != Self.poolName { return false }
            return true
        }
        guard let index = candidates.first else {
            if described.isEmpty { return conflict("No machine available.") }
            if let id = request.value("system_id") { return conflict("No machine with system ID \(id) available.") }
            return conflict("No available machine matches constraints: \(described.joined(separator: " "))")
        }
        if !request.flag("dry_run") {
            machines[index].owner = user
            set(index, .allocated)
        }
        return json(render(machines[index], now: request.now))
    }

    // MARK: State

    /// Moves to `during`, and on to `after` `operationSeconds` later.
    private mutating func transition(_ index: Int, _ during: Status, then after: Status, now: Double) {
        set(index, during)
        machines[index].until = now + operationSeconds
        machines[index].next = after
    }

    /// Sets the status now, with MAAS's transition message (`status_message`, as in the API examples).
    mutating func set(_ index: Int, _ status: Status) {
        let before = machines[index].status
        machines[index].status = status
        machines[index].until = nil
        machines[index].next = nil
        machines[index].statusMessage = "From '\(before.name)' to '\(status.name)'"
    }

    /// Applies what lab time has done by `now`: an operation whose time is up ends in its next status. Finished
    /// commissioning releases the node and, without `enable_ssh`, powers it off (MAAS leaves it on only to let
    /// the user in).
    mutating func settle(_ index: Int, _ now: Double) {
        guard let until = machines[index].until, now >= until, let next = machines[index].next else { return }
        let finished = machines[index].status
        set(index, next)
        if finished == .commissioning {
            machines[index].owner = nil
            if !machines[index].enableSSH { powerOff(index, now: now) }
        }
    }

    func conflict(_ message: String) -> LabResponse { LabResponse(status: 409, rawBody: message) }

    // MARK: Power

    /// The machine's power as MAAS's Redfish driver maps the BMC's `PowerState` (`power_query`: Off and
    /// PoweringOn are `off`; On, Paused and PoweringOff are `on`; anything else `error`); `error` after a power
    /// action the BMC refused.
    func powerState(_ index: Int, now: Double) -> String {
        if machines[index].powerError { return "error" }
        let state = powerDriver?.state(index, now) ?? machines[index].power
        switch state.lowercased() {
        case "off", "poweringon": return "off"
        case "on", "paused", "poweringoff": return "on"
        default: return "error"
        }
    }

    /// Powers the machine on through its BMC (`ResetType: On`). MAAS's driver first forces a running host off;
    /// a lab host that already runs is left running (the state MAAS's cycle ends in), so a lab boot is counted
    /// only when the host really was off.
    mutating func powerOn(_ index: Int, now: Double) {
        guard powerState(index, now: now) != "on" || machines[index].powerError else { return }
        sendReset(index, "On", now: now)
    }

    /// Powers the machine off through its BMC (`ResetType: ForceOff`) unless it is off already, as MAAS's driver.
    mutating func powerOff(_ index: Int, now: Double) {
        guard powerState(index, now: now) != "off" || machines[index].powerError else { return }
        sendReset(index, "ForceOff", now: now)
    }

    private mutating func sendReset(_ index: Int, _ type: String, now: Double) {
        guard let powerDriver else {
            machines[index].power = type == "On" ? "On" : "Off"
            return
        }
        let status = powerDriver.reset(index, type, bmcUser, bmcPassword ?? "", now)
        machines[index].powerError = !(200..<300).contains(status)
        if machines[index].powerError {
            machines[index].statusMessage = "Power \(type == "On" ? "on" : "off") failed: the BMC answered \(status)"
        }
    }

    /// `power_parameters` of a Redfish machine: address, user and (when the region holds it) password.
    func powerParameters(_ machine: Machine, host: String?) -> JSONValue {
        var parameters: [String: JSONValue] = [
            "power_address": .string(host.map { "http://\($0)\(machine.bmcAddress)" } ?? machine.bmcAddress),
            "power_user": .string(bmcUser), "node_id": .string("1"),
        ]
        if let bmcPassword { parameters["power_pass"] = .string(bmcPassword) }
        return .object(parameters)
    }
}

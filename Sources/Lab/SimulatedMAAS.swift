import Foundation
import Inventory
import Redfish

/// A simulated MAAS region (API 2.0 shapes): machines for the lab's servers, commissioning that moves
/// New → Commissioning → Ready over lab time, abort, release, deploy, power operations, tags with update_nodes,
/// and the OAuth 1.0 PLAINTEXT header checked on every call.
///
/// A value type: `handle(_:now:)` is the whole behaviour; time comes in as an argument.
public struct SimulatedMAAS: Sendable {
    /// MAAS node status codes (`status`), with their names (`status_name`).
    public enum Status: Int, Sendable, CaseIterable {
        /// New.
        case new = 0
        /// Commissioning.
        case commissioning = 1
        /// Failed commissioning.
        case failedCommissioning = 2
        /// Ready.
        case ready = 4
        /// Deployed.
        case deployed = 6
        /// Broken.
        case broken = 8
        /// Deploying.
        case deploying = 9
        /// Allocated.
        case allocated = 10
        /// Releasing.
        case releasing = 12

        /// The name MAAS prints.
        public var name: String {
            switch self {
            case .new: return "New"
            case .commissioning: return "Commissioning"
            case .failedCommissioning: return "Failed commissioning"
            case .ready: return "Ready"
            case .deployed: return "Deployed"
            case .broken: return "Broken"
            case .deploying: return "Deploying"
            case .allocated: return "Allocated"
            case .releasing: return "Releasing"
            }
        }
    }

    struct Machine: Sendable {
        var systemID: String
        var hostname: String
        var status: Status
        var until: Double?
        var next: Status?
        var power: String
        var bmcAddress: String
        var hostAddress: String
        var portNames: [String]
        var macs: [String]
        var serial: String
        var tags: Set<String>
        var distro: String?
        var description = ""
    }

    /// The API key `consumer:token:secret` clients must present.
    public let apiKey: String
    /// Seconds commissioning (and deploying, releasing) take.
    public var operationSeconds: Double
    var machines: [Machine]
    var tags: [String: (comment: String, definition: String)] = [:]
    /// Requests answered, and by operation.
    public private(set) var operations: [String: Int] = [:]
    /// The BMC password MAAS keeps in the machines' power parameters (`power_pass`); nil leaves it out.
    public var bmcPassword: String?
    /// The form of the last `commission` of each machine, by system id (tests read `enable_ssh`).
    public private(set) var commissionForms: [String: [String: [String]]] = [:]

    /// A MAAS knowing `servers` (their BMCs at `bmcURL(index)`).
    /// Hosts get `hostAddress(index)` once they boot (default: the server's own `hostAddress`).
    public init(
        servers: [ServerModel], apiKey: String, operationSeconds: Double = 5, bmcURL: (Int) -> String,
        hostAddress: ((Int) -> String)? = nil
    ) {
        self.apiKey = apiKey
        self.operationSeconds = operationSeconds
        machines = servers.enumerated().map { index, server in
            Machine(
                systemID: String(format: "m%05x", index + 0xa000), hostname: "lab-\(server.serial.lowercased())",
                status: .new,
                until: nil, next: nil, power: "off", bmcAddress: bmcURL(index),
                hostAddress: hostAddress?(index) ?? server.hostAddress, portNames: server.ports.map(\.name),
                macs: server.ports.map(\.mac), serial: server.serial, tags: [], distro: nil)
        }
    }

    /// The status of the machine with this serial at `now` (tests).
    public func status(serial: String, at now: Double) -> Status? {
        guard let machine = machines.first(where: { $0.serial == serial }) else { return nil }
        if let until = machine.until, now >= until, let next = machine.next { return next }
        return machine.status
    }

    /// The description of the machine with this serial (tests).
    public func description(serial: String) -> String? { machines.first { $0.serial == serial }?.description }

    /// The tags of the machine with this serial (tests).
    public func tags(serial: String) -> Set<String> { machines.first { $0.serial == serial }?.tags ?? [] }

    // MARK: Requests

    /// Answers a request below `/MAAS/api/2.0/`: `path` like `machines/abc/`, `query` and form `parameters`.
    /// `host` (the request's Host header) makes BMC addresses in power parameters absolute URLs.
    public mutating func handle(
        method: String, path: String, query: [String: [String]], form: [String: [String]], authorization: String?,
        now: Double, host: String? = nil
    ) -> LabResponse {
        for index in machines.indices { settle(index, now) }
        guard authorized(authorization) else {
            return LabResponse(status: 401, rawBody: "Authorization Error: 'Invalid API key.'")
        }
        let parts = path.split(separator: "/").map(String.init)
        let op = query["op"]?.first ?? form["op"]?.first
        operations[op ?? "\(method) \(parts.first ?? "")", default: 0] += 1
        switch (method, parts.count, parts.first) {
        case ("GET", 1, "describe"):
            return json(.object(["doc": .string("MAAS API (HWAutomation lab)"), "resources": .array([])]))
        case ("GET", 1, "version"):
            return json(
                .object([
                    "version": .string("3.4.0"), "subversion": .string("lab"),
                    "capabilities": .array([.string("tags")]),
                ]))
        case ("GET", 1, "machines"):
            var selected = machines
            if let hostnames = query["hostname"] { selected = selected.filter { hostnames.contains($0.hostname) } }
            if let macs = query["mac_address"]?.map({ $0.lowercased() }) {
                selected = selected.filter { !Set($0.macs).isDisjoint(with: macs) }
            }
            return json(.array(selected.map(render)))
        case (_, 2, "machines"):
            guard let index = machines.firstIndex(where: { $0.systemID == parts[1] }) else {
                return LabResponse(status: 404, rawBody: "No Machine matches the given query.")
            }
            return machineOperation(method: method, op: op, index: index, form: form, now: now, host: host)
        case ("GET", 1, "tags"):
            return json(.array(tags.keys.sorted().map { tagJSON($0) }))
        case ("POST", 1, "tags"):
            guard let name = form["name"]?.first, !name.isEmpty else {
                return LabResponse(status: 400, rawBody: "{\"name\": [\"This field is required.\"]}")
            }
            guard tags[name] == nil else {
                return LabResponse(status: 400, rawBody: "{\"name\": [\"Tag with this Name already exists.\"]}")
            }
            tags[name] = (form["comment"]?.first ?? "", form["definition"]?.first ?? "")
            return json(tagJSON(name))
        case ("POST", 2, "tags") where op == "update_nodes":
            let name = parts[1]
            guard tags[name] != nil else { return LabResponse(status: 404, rawBody: "No Tag matches the given query.") }
            var added = 0
            var removed = 0
            for index in machines.indices {
                if form["add"]?.contains(machines[index].systemID) == true, machines[index].tags.insert(name).inserted {
                    added += 1
                }
                if form["remove"]?.contains(machines[index].systemID) == true, machines[index].tags.remove(name) != nil
                {
                    removed += 1
                }
            }
            return json(.object(["added": .number(Double(added)), "removed": .number(Double(removed))]))
        default:
            return LabResponse(status: 404, rawBody: "Unknown API endpoint: \(method) \(path)")
        }
    }

    private mutating func machineOperation(
        method: String, op: String?, index: Int, form: [String: [String]], now: Double, host: String?
    ) -> LabResponse {
        func transition(_ during: Status, then after: Status) {
            machines[index].status = during
            machines[index].until = now + operationSeconds
            machines[index].next = after
        }
        let status = machines[index].status
        switch (method, op) {
        case ("GET", nil):
            return json(render(machines[index]))
        case ("PUT", nil):
            if let description = form["description"]?.first { machines[index].description = description }
            if let hostname = form["hostname"]?.first, !hostname.isEmpty { machines[index].hostname = hostname }
        case ("GET", "query_power_state"):
            return json(.object(["state": .string(machines[index].power)]))
        case ("GET", "power_parameters"):
            let address = machines[index].bmcAddress
            var parameters: [String: JSONValue] = [
                "power_address": .string(host.map { "http://\($0)\(address)" } ?? address),
                "power_user": .string("admin"),
            ]
            if let bmcPassword { parameters["power_pass"] = .string(bmcPassword) }
            return json(.object(parameters))
        case ("POST", "commission"):
            guard [.new, .ready, .failedCommissioning, .broken].contains(status) else {
                return conflict("commission", status)
            }
            machines[index].power = "on"
            commissionForms[machines[index].systemID] = form
            transition(.commissioning, then: .ready)
        case ("POST", "abort"):
            guard status == .commissioning || status == .deploying else { return conflict("abort", status) }
            machines[index].status = status == .commissioning ? .new : .allocated
            machines[index].until = nil
            machines[index].next = nil
        case ("POST", "deploy"):
            guard status == .ready || status == .allocated else { return conflict("deploy", status) }
            machines[index].distro = form["distro_series"]?.first ?? "jammy"
            machines[index].power = "on"
            transition(.deploying, then: .deployed)
        case ("POST", "release"):
            guard [.deployed, .allocated, .failedCommissioning].contains(status) else {
                return conflict("release", status)
            }
            transition(.releasing, then: .ready)
        case ("POST", "power_on"): machines[index].power = "on"
        case ("POST", "power_off"): machines[index].power = "off"
        case ("POST", "mark_broken"): machines[index].status = .broken
        case ("POST", "mark_fixed"):
            guard status == .broken else { return conflict("mark_fixed", status) }
            machines[index].status = .ready
        default:
            return LabResponse(status: 400, rawBody: "Unrecognised signature: method=\(method) op=\(op ?? "-")")
        }
        return json(render(machines[index]))
    }

    private func conflict(_ op: String, _ status: Status) -> LabResponse {
        LabResponse(status: 409, rawBody: "Cannot \(op) node because it is in state \(status.name).")
    }

    private mutating func settle(_ index: Int, _ now: Double) {
        if let until = machines[index].until, now >= until, let next = machines[index].next {
            machines[index].status = next
            machines[index].until = nil
            machines[index].next = nil
        }
    }

    private func authorized(_ header: String?) -> Bool {
        guard let header, header.hasPrefix("OAuth ") else { return false }
        var fields: [String: String] = [:]
        for pair in header.dropFirst(6).split(separator: ",") {
            let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            fields[String(parts[0])] =
                String(parts[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                .removingPercentEncoding
        }
        let key = apiKey.split(separator: ":").map(String.init)
        guard key.count == 3 else { return false }
        return fields["oauth_signature_method"] == "PLAINTEXT" && fields["oauth_consumer_key"] == key[0]
            && fields["oauth_token"] == key[1] && fields["oauth_signature"] == "&" + key[2]
    }

    private func json(_ value: JSONValue) -> LabResponse { LabResponse(status: 200, body: value) }

    private func tagJSON(_ name: String) -> JSONValue {
        .object([
            "name": .string(name), "comment": .string(tags[name]?.comment ?? ""),
            "definition": .string(tags[name]?.definition ?? ""),
        ])
    }

    /// Whether the machine runs an OS MAAS sees (the ephemeral environment or a deployed one): powered on and
    /// past New.
    private func booted(_ machine: Machine) -> Bool { machine.power == "on" && machine.status != .new }

    /// An `interface_set` entry: the first port has a DHCP link, whose address (and the one MAAS observed,
    /// `discovered`) appear once the machine has booted.
    private func interface(_ machine: Machine, _ index: Int) -> JSONValue {
        let up = index == 0 && booted(machine)
        let address: [String: JSONValue] = ["ip_address": .string(machine.hostAddress)]
        return .object([
            "name": .string(index < machine.portNames.count ? machine.portNames[index] : "eth\(index)"),
            "mac_address": .string(machine.macs[index]),
            "links": .array(
                index == 0 ? [.object(["mode": .string("dhcp")].merging(up ? address : [:]) { $1 })] : []),
            "discovered": .array(up ? [.object(address)] : []),
        ])
    }

    private func render(_ machine: Machine) -> JSONValue {
        .object([
            "system_id": .string(machine.systemID), "hostname": .string(machine.hostname),
            "status": .number(Double(machine.status.rawValue)), "status_name": .string(machine.status.name),
            "power_state": .string(machine.power), "power_type": .string("redfish"),
            "hardware_info": .object(["system_serial": .string(machine.serial)]),
            "boot_interface": .object(["mac_address": .string(machine.macs.first ?? "")]),
            "interface_set": .array(machine.macs.indices.map { interface(machine, $0) }),
            "ip_addresses": .array(booted(machine) ? [.string(machine.hostAddress)] : []),
            "tag_names": .array(machine.tags.sorted().map { .string($0) }),
            "distro_series": .string(machine.distro ?? ""), "description": .string(machine.description),
        ])
    }
}
